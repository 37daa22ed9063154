namespace Governance.Grains.Policy;

/// <summary>The profiles submissions are evaluated against.</summary>
public interface IPolicyCatalog
{
    PolicyProfile? Find(string name);
}
