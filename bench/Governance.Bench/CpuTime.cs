namespace Governance.Bench;

/// <summary>CPU time split into user and system (kernel) time.</summary>
public readonly record struct CpuTime(TimeSpan User, TimeSpan System)
{
    public TimeSpan Total => User + System;

    public static CpuTime operator +(CpuTime a, CpuTime b) => new(a.User + b.User, a.System + b.System);

    public static CpuTime operator -(CpuTime a, CpuTime b) => new(a.User - b.User, a.System - b.System);
}
