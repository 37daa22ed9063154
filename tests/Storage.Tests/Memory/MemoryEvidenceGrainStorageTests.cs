using Governance.Storage.Memory;
using Governance.Storage.Tests.Contract;
using Orleans.Storage;

namespace Governance.Storage.Tests.Memory;

/// <summary>The memory twin keeps the contract of the PostgreSQL storage.</summary>
public sealed class MemoryEvidenceGrainStorageTests : GrainStorageContractTests
{
    private readonly MemoryEvidenceStore _store = new();

    public MemoryEvidenceGrainStorageTests()
    {
        Storage = new MemoryEvidenceGrainStorage(_store, TestJsonContext.StorageOptions());
        Ledger = new MemoryLedgerReader(_store);
        Listing = new MemoryGrainStateListing(_store);
    }

    protected override IGrainStorage Storage { get; }

    protected override ILedgerReader Ledger { get; }

    protected override IGrainStateListing Listing { get; }
}
