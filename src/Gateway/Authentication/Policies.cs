using Governance.Grains;
using Microsoft.AspNetCore.Authorization;

namespace Governance.Gateway.Authentication;

/// <summary>The authorization policies of the routes, one per role set.</summary>
public static class Policies
{
    public const string Trainer = "trainer";
    public const string Approver = "approver";
    public const string Deployer = "deployer";
    public const string Admin = "admin";
    public const string Monitor = "monitor";
    public const string ApproverOrAdmin = "approver-or-admin";
    public const string AuditorOrAdmin = "auditor-or-admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Trainer, p => p.RequireRole(Roles.Trainer));
        options.AddPolicy(Approver, p => p.RequireRole(Roles.Approver));
        options.AddPolicy(Deployer, p => p.RequireRole(Roles.Deployer));
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(Monitor, p => p.RequireRole(Roles.Monitor));
        options.AddPolicy(ApproverOrAdmin, p => p.RequireRole(Roles.Approver, Roles.Admin));
        options.AddPolicy(AuditorOrAdmin, p => p.RequireRole(Roles.Auditor, Roles.Admin));
    }
}
