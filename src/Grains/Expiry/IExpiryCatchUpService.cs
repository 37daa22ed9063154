using Orleans.Services;

namespace Governance.Grains.Expiry;

/// <summary>The per-silo expiry catch-up (see <see cref="ExpiryCatchUpService"/>).</summary>
public interface IExpiryCatchUpService : IGrainService;
