namespace Governance.Grains.Wire;

/// <summary>A distribution test (KS statistic or PSI) against its threshold.</summary>
[GenerateSerializer, Immutable, Alias("gov.StatisticDrift")]
public sealed record StatisticDrift([property: Id(0)] double Value, [property: Id(1)] double Threshold, [property: Id(2)] bool Drifted, [property: Id(3)] int TrainingSamples, [property: Id(4)] int ServingSamples);
