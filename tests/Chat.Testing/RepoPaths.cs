namespace Chat.Testing;

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding Chat.sln, found upward from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration these test binaries were built in, used for the apps too.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Chat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Chat.sln not found above " + AppContext.BaseDirectory);
    }
}
