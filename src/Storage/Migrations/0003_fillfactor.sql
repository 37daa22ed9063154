-- Grain states and stream heads are rewritten far more often than inserted. Leaving room on each
-- page lets an update put the new row version beside the old one (a HOT update): no new index
-- entries, and the old version is pruned in place. Applies to pages written from now on.
ALTER TABLE grain_state SET (fillfactor = 70);
ALTER TABLE stream_heads SET (fillfactor = 50);
ALTER TABLE stream_checkpoints SET (fillfactor = 50);
