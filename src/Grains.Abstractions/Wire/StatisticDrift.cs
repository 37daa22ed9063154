namespace Governance.Grains.Wire;

/// <summary>A distribution test (KS statistic or PSI) against its threshold.</summary>
public sealed record StatisticDrift(double Value, double Threshold, bool Drifted, int TrainingSamples, int ServingSamples);
