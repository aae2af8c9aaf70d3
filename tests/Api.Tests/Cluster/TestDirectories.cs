namespace Personalization.Api.Tests.Cluster;

/// <summary>One temp folder per test run (removed at exit), with a folder per cluster inside.</summary>
public static class TestDirectories
{
    public static readonly string Root = CreateRoot();

    public static string Create(string prefix)
    {
        var path = Path.Combine(Root, prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "personalization-api-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the OS temp cleaner gets the rest.
            }
        };
        return root;
    }
}
