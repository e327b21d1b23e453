using System.Text.RegularExpressions;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>The container image's Dockerfile and .dockerignore, read as text (no Docker engine on these machines).</summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = DeployFiles.Read("Dockerfile");

    /// <summary>The runtime stage both images build on (Debian, libraries, user, volumes, health check, entry point).</summary>
    private static readonly List<(string Keyword, string Arguments)> RuntimeStage = Stage("debian:bookworm-slim AS base");

    /// <summary>The GPU image's own instructions, on top of the runtime stage.</summary>
    private static readonly List<(string Keyword, string Arguments)> GpuStage = Stage("base AS gpu");

    [Fact]
    public void Runtime_stage_installs_exactly_the_libraries_ensure_deps_installs_for_serving_plus_what_dotnet_needs()
    {
        var ensureDeps = DeployFiles.Read("scripts/ensure-deps.sh");
        var runtimeList = Regex.Match(ensureDeps, @"^runtime=\((?<list>.*?)\)", RegexOptions.Multiline | RegexOptions.Singleline).Groups["list"].Value;
        var serving = QuotedPackagePattern().Matches(runtimeList).Select(m => m.Groups["package"].Value).ToHashSet();
        Assert.Contains("libflite1", serving);

        var install = RuntimeStage.Single(i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal)).Arguments;
        var installed = install[(install.IndexOf("--no-install-recommends", StringComparison.Ordinal) + "--no-install-recommends".Length)..]
            .Split("&&")[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        string[] dotnetDependencies = ["ca-certificates", "libssl3", "tzdata"];
        Assert.Equal(serving.Order(), installed.Except(dotnetDependencies).Order());
    }

    [Fact]
    public void Builds_with_the_sdk_for_linux_x64_and_runs_on_bookworm_slim_as_a_non_root_user()
    {
        var froms = Instructions().Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", froms[0]);
        Assert.Contains("debian:bookworm-slim AS base", froms);
        // The default target is the last stage: the CPU image, the runtime stage plus the CPU build's output.
        Assert.Equal("base", froms[^1]);
        Assert.Equal(("COPY", "--from=build /app /opt/callwaiting"), Instructions()[(LastFromIndex() + 1)..].Single());
        Assert.Contains(Instructions(), i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal) && i.Arguments.Contains("-r linux-x64", StringComparison.Ordinal));

        var user = RuntimeStage.Last(i => i.Keyword == "USER").Arguments;
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        Assert.Contains(RuntimeStage, i => i.Keyword == "RUN" && i.Arguments.Contains($"useradd", StringComparison.Ordinal) && i.Arguments.Contains(user.Split(':')[0], StringComparison.Ordinal));
    }

    [Fact]
    public void Health_check_asks_ready_on_the_port_the_server_listens_on_and_exposes()
    {
        var port = Regex.Match(Single("CMD"), @"--urls"",\s*""http://0\.0\.0\.0:(?<port>\d+)""").Groups["port"].Value;
        Assert.NotEmpty(port);
        Assert.Equal(port, Single("EXPOSE"));
        var healthCheck = Single("HEALTHCHECK");
        Assert.Contains($"/dev/tcp/127.0.0.1/{port}", healthCheck);
        Assert.Contains("GET /ready ", healthCheck);
        Assert.Contains("' 200 '", healthCheck);
    }

    [Fact]
    public void Data_and_models_folders_are_the_volumes_and_gen0_is_set_as_the_launcher_sets_it()
    {
        var env = Regex.Matches(Single("ENV"), @"(?<name>\w+)=(?<value>\S+)").ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        var volumes = Regex.Matches(Single("VOLUME"), "\"(?<path>[^\"]+)\"").Select(m => m.Groups["path"].Value).ToList();
        Assert.Equal([env["CALLWAITING_DATA_DIR"], env["CALLWAITING_MODELS_DIR"]], volumes);

        var launcher = Regex.Match(DeployFiles.Read("callwaiting"), @"DOTNET_GCgen0size:-(?<value>0x[0-9a-fA-F]+)").Groups["value"].Value;
        Assert.NotEmpty(launcher);
        Assert.Equal(launcher, env["DOTNET_GCgen0size"]);
    }

    [Fact]
    public void Dockerignore_keeps_outputs_data_and_secrets_out_but_not_what_the_build_copies()
    {
        var ignored = DeployFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var pattern in new[] { "**/bin/", "**/obj/", "data/", ".git/", "**/.env", "**/*.pem" }) Assert.Contains(pattern, ignored);

        var copied = Instructions().Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToList();
        Assert.Contains("src/", copied);
        foreach (var source in copied)
        {
            Assert.True(File.Exists(DeployFiles.PathOf(source)) || Directory.Exists(DeployFiles.PathOf(source)), $"COPY {source}: no such path");
            Assert.DoesNotContain(ignored, pattern => source.StartsWith(pattern.TrimEnd('/'), StringComparison.Ordinal) || pattern == "*.md" && source.EndsWith(".md", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Restore_layer_copies_every_project_under_src()
    {
        // The restore runs before the sources are copied; a project left out there fails the image build.
        var projects = Directory.EnumerateFiles(DeployFiles.PathOf("src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(DeployFiles.Root, p).Replace('\\', '/')).Order().ToList();
        var copied = Instructions().Where(i => i.Keyword == "COPY").Select(i => i.Arguments.Split(' ')[0]).Where(a => a.EndsWith(".csproj", StringComparison.Ordinal)).Order().ToList();
        Assert.Contains("src/CallWaiting.Cli/CallWaiting.Cli.csproj", projects);
        Assert.Equal(projects, copied);
    }

    [Fact]
    public void Gpu_target_runs_the_cuda_build_of_onnx_runtime_with_the_cuda_libraries_it_loads_as_the_same_user()
    {
        // The GPU build stage swaps only the ONNX Runtime package, through the property the Speech project switches on.
        var buildGpu = Stage("build AS build-gpu");
        var publish = Assert.Single(buildGpu, i => i.Keyword == "RUN").Arguments;
        Assert.Contains("-p:OnnxRuntimeGpu=true", publish);
        Assert.Contains("-r linux-x64", publish);
        var speech = DeployFiles.Read("src/CallWaiting.Speech/CallWaiting.Speech.csproj");
        Assert.Matches(@"Include=""Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux""[^>]*Condition=""'\$\(OnnxRuntimeGpu\)' == 'true'""", speech);
        Assert.Matches(@"Include=""Microsoft\.ML\.OnnxRuntime""[^>]*Condition=""'\$\(OnnxRuntimeGpu\)' != 'true'""", speech);

        // ONNX Runtime 1.32's CUDA provider links CUDA 13's runtime, cuBLAS and cuRAND (ldd of libonnxruntime_providers_cuda.so),
        // and opens cuDNN 9 and cuFFT when a graph needs them.
        var install = GpuStage.Single(i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal)).Arguments;
        foreach (var library in new[] { "cuda-cudart-13-", "libcublas-13-", "libcufft-13-", "libcurand-13-", "libcudnn9-cuda-13" })
            Assert.Contains(library, install);
        Assert.Equal(("COPY", "--from=build-gpu /app-gpu /opt/callwaiting"), GpuStage.Single(i => i.Keyword == "COPY"));
        Assert.Contains("CALLWAITING_Onnx__Provider=cuda", GpuStage.Single(i => i.Keyword == "ENV").Arguments);
        Assert.Equal(RuntimeStage.Last(i => i.Keyword == "USER").Arguments, GpuStage.Last(i => i.Keyword == "USER").Arguments);
    }

    private string Single(string keyword) => RuntimeStage.Single(i => i.Keyword == keyword).Arguments;

    private static int LastFromIndex() => Instructions().FindLastIndex(i => i.Keyword == "FROM");

    /// <summary>The instructions after <c>FROM <paramref name="from"/></c> up to the next FROM.</summary>
    private static List<(string Keyword, string Arguments)> Stage(string from) =>
        Instructions().SkipWhile(i => i != ("FROM", from)).Skip(1).TakeWhile(i => i.Keyword != "FROM").ToList();

    private static List<(string Keyword, string Arguments)> Instructions()
    {
        var joined = Regex.Replace(Dockerfile, @"\\\r?\n", " ");
        return joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => (l.Split(' ', 2)[0], Regex.Replace(l.Split(' ', 2).ElementAtOrDefault(1) ?? "", @"\s+", " ").Trim()))
            .ToList();
    }

    [GeneratedRegex(@"""(?<package>[a-z0-9.+-]+):")]
    private static partial Regex QuotedPackagePattern();
}
