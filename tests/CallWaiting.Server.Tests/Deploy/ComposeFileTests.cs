using System.Text.RegularExpressions;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>deploy/compose.yaml parsed: services, start order, volumes, and agreement with env.example and nginx.</summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = DeployFiles.Yaml("deploy/compose.yaml");
    private static readonly Dictionary<string, YamlNode> Services = Compose.Entries("services").ToDictionary(e => e.Key, e => e.Value);
    private static readonly Dictionary<string, string> EnvExample = DeployFiles.Read("deploy/env.example").Split('\n')
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
        .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

    [Fact]
    public void Postgres_redis_nginx_and_at_least_two_api_replicas_without_a_profile()
    {
        foreach (var name in new[] { "postgres", "redis", "api", "nginx", "migrate" })
        {
            Assert.True(Services.ContainsKey(name), $"no {name} service");
            Assert.Null(Services[name].At("profiles"));
        }

        Assert.True(int.Parse(Services["api"].Text("deploy", "replicas")!) >= 2);
        Assert.Equal("gpu", Assert.Single(Services["api-gpu"].Items("profiles")).ToString());
        Assert.Equal("nvidia", Services["api-gpu"].Items("deploy", "resources", "reservations", "devices").Single().Text("driver"));
    }

    [Fact]
    public void Api_services_run_the_image_of_their_dockerfile_target_and_wait_for_healthy_storage_and_a_finished_migration()
    {
        // The replicas and the migration share the default (CPU) image; the GPU replica builds the Dockerfile's gpu target.
        Assert.Equal(Services["api"].Text("image"), Services["migrate"].Text("image"));
        Assert.Null(Services["api"].Text("build", "target"));
        Assert.Equal("gpu", Services["api-gpu"].Text("build", "target"));
        Assert.NotEqual(Services["api"].Text("image"), Services["api-gpu"].Text("image"));
        Assert.Contains("FROM base AS gpu", DeployFiles.Read("Dockerfile"));
        Assert.Equal(["migrate"], Services["migrate"].Items("command").Select(n => n.ToString()));
        foreach (var service in new[] { "api", "api-gpu" })
        {
            Assert.Equal("service_healthy", Services[service].Text("depends_on", "postgres", "condition"));
            Assert.Equal("service_healthy", Services[service].Text("depends_on", "redis", "condition"));
            Assert.Equal("service_completed_successfully", Services[service].Text("depends_on", "migrate", "condition"));
        }

        // "service_healthy" needs a health check: compose's own, or the image's HEALTHCHECK (the api image).
        foreach (var (service, node) in Services)
        {
            foreach (var (dependency, condition) in node.Entries("depends_on"))
            {
                if (condition.Text("condition") != "service_healthy") continue;
                Assert.True(Services[dependency].At("healthcheck") is not null || Services[dependency].Text("image") == Services["api"].Text("image"),
                    $"{service} waits for {dependency} to be healthy, which has no health check");
            }
        }
    }

    [Fact]
    public void Every_volume_a_service_mounts_is_declared_or_a_file_in_the_repository()
    {
        var declared = Compose.Entries("volumes").Select(e => e.Key).ToHashSet();
        var used = new HashSet<string>();
        foreach (var (service, node) in Services)
        {
            foreach (var mount in node.Items("volumes").Select(v => v.ToString()))
            {
                var source = mount.Split(':')[0];
                if (source.StartsWith('.'))
                {
                    Assert.True(File.Exists(DeployFiles.PathOf(Path.Combine("deploy", source))) || Directory.Exists(DeployFiles.PathOf(Path.Combine("deploy", source))),
                        $"{service} mounts {source}, which does not exist");
                    continue;
                }

                Assert.True(declared.Contains(source), $"{service} mounts undeclared volume {source}");
                used.Add(source);
            }
        }

        Assert.Equal(declared.Order(), used.Order());
        Assert.Contains("models:/var/lib/callwaiting/models:ro", Services["api"].Items("volumes").Select(v => v.ToString()));
    }

    [Fact]
    public void Env_file_is_the_copy_of_env_example_and_its_database_and_redis_are_the_compose_services()
    {
        foreach (var service in new[] { "api", "migrate", "postgres" }) Assert.Equal("callwaiting.env", Assert.Single(Services[service].Items("env_file")).ToString());
        Assert.Contains("cp deploy/env.example deploy/callwaiting.env", DeployFiles.Read("deploy/compose.yaml"));

        var database = new NpgsqlConnectionStringBuilder(EnvExample["CALLWAITING_DB"]);
        Assert.True(Services.ContainsKey(database.Host!));
        Assert.Equal(EnvExample["POSTGRES_PASSWORD"], database.Password);
        Assert.Equal(Services["postgres"].Text("environment", "POSTGRES_USER"), database.Username);
        Assert.Equal(Services["postgres"].Text("environment", "POSTGRES_DB"), database.Database);
        Assert.True(Services.ContainsKey(EnvExample["CALLWAITING_REDIS"].Split(':')[0]));
    }

    [Fact]
    public void Nginx_address_is_the_trusted_proxy_and_the_compose_network_may_scrape_metrics()
    {
        var nginxAddress = Services["nginx"].Text("networks", "default", "ipv4_address");
        Assert.Equal(nginxAddress, EnvExample["CALLWAITING_Api__TrustedProxies__0"]);
        var subnet = Assert.Single(Compose.Items("networks", "default", "ipam", "config")).Text("subnet");
        Assert.Contains(subnet, EnvExample.Where(e => e.Key.StartsWith("CALLWAITING_Api__MetricsAllowlist__", StringComparison.Ordinal)).Select(e => e.Value));
        Assert.True(System.Net.IPNetwork.Parse(subnet!).Contains(System.Net.IPAddress.Parse(nginxAddress!)));
    }

    [Fact]
    public void Nginx_upstream_names_the_api_service_on_the_port_the_image_serves()
    {
        var upstream = Regex.Match(DeployFiles.Read("deploy/nginx/nginx.conf"), @"upstream callwaiting \{[^}]*server (?<host>[\w-]+):(?<port>\d+)");
        Assert.Equal("api", upstream.Groups["host"].Value);
        Assert.Contains("aliases", Services["api-gpu"].Entries("networks", "default").Select(e => e.Key));
        Assert.Equal("api", Assert.Single(Services["api-gpu"].Items("networks", "default", "aliases")).ToString());
        Assert.Contains($"http://0.0.0.0:{upstream.Groups["port"].Value}", DeployFiles.Read("Dockerfile"));
    }
}
