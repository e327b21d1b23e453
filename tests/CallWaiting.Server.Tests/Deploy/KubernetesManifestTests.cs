using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>deploy/k8s parsed: the kustomization's resources and how the objects refer to each other and to the image.</summary>
public sealed class KubernetesManifestTests
{
    private const string Base = "deploy/k8s/base";
    private static readonly YamlMappingNode Kustomization = DeployFiles.Yaml($"{Base}/kustomization.yaml");
    private static readonly List<YamlMappingNode> Objects = Kustomization.Items("resources")
        .SelectMany(r => DeployFiles.YamlDocuments($"{Base}/{r}")).ToList();

    private static YamlMappingNode Object(string kind) => Objects.Single(o => o.Text("kind") == kind);

    private static YamlNode Container(YamlNode workload) => Assert.Single(workload.Items("spec", "template", "spec", "containers"));

    [Fact]
    public void Base_has_every_object_the_deployment_needs()
    {
        var kinds = Objects.Select(o => o.Text("kind")).Order().ToList();
        Assert.Equal(["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "Job", "PodDisruptionBudget", "Secret", "Service"], kinds);
        var overlay = DeployFiles.Yaml("deploy/k8s/overlays/production/kustomization.yaml");
        Assert.Equal("../../base", Assert.Single(overlay.Items("resources")).ToString());
        Assert.Equal(Container(Object("Deployment")).Text("image")!.Split(':')[0], Assert.Single(overlay.Items("images")).Text("name"));
    }

    [Fact]
    public void Probes_target_the_container_port_the_server_listens_on()
    {
        var container = Container(Object("Deployment"));
        var port = Assert.Single(container.Items("ports"));
        var listen = Regex.Match(string.Join(' ', container.Items("args")), @"--urls http://0\.0\.0\.0:(?<port>\d+)").Groups["port"].Value;
        Assert.Equal(listen, port.Text("containerPort"));
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Assert.Equal(port.Text("name"), container.Text(probe, "httpGet", "port"));
        }

        Assert.Equal("/ready", container.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal("/ready", container.Text("startupProbe", "httpGet", "path"));
        Assert.Equal("/health", container.Text("livenessProbe", "httpGet", "path"));
        Assert.NotNull(container.At("resources", "requests", "cpu"));
        Assert.NotNull(container.At("resources", "limits", "memory"));
    }

    [Fact]
    public void Termination_grace_covers_the_prestop_delay_and_the_servers_drain()
    {
        var deployment = Object("Deployment");
        var preStop = Container(deployment).Items("lifecycle", "preStop", "exec", "command").Select(n => n.ToString()).ToList();
        Assert.Equal("sleep", preStop[0]);
        var grace = int.Parse(deployment.Text("spec", "template", "spec", "terminationGracePeriodSeconds")!);
        // The host waits up to 30 s (.NET's default shutdown timeout) for requests in flight after SIGTERM.
        Assert.True(grace >= int.Parse(preStop[1]) + 30, $"grace {grace} s < preStop {preStop[1]} s + 30 s drain");
    }

    [Fact]
    public void Selectors_ports_and_targets_refer_to_objects_that_exist()
    {
        var deployment = Object("Deployment");
        var podLabels = deployment.Entries("spec", "template", "metadata", "labels").ToDictionary(e => e.Key, e => e.Value.ToString());
        foreach (var selector in new[] { deployment.At("spec", "selector", "matchLabels")!, Object("Service").At("spec", "selector")!, Object("PodDisruptionBudget").At("spec", "selector", "matchLabels")! })
        {
            Assert.All(selector.Entries(), e => Assert.Equal(podLabels.GetValueOrDefault(e.Key), e.Value.ToString()));
        }

        var service = Object("Service");
        var servicePort = Assert.Single(service.Items("spec", "ports"));
        Assert.Equal(Assert.Single(Container(deployment).Items("ports")).Text("name"), servicePort.Text("targetPort"));
        var backend = Assert.Single(Object("Ingress").Items("spec", "rules")).Items("http", "paths").Single().At("backend", "service")!;
        Assert.Equal(service.Text("metadata", "name"), backend.Text("name"));
        Assert.Equal(servicePort.Text("name"), backend.Text("port", "name"));

        var hpa = Object("HorizontalPodAutoscaler");
        Assert.Equal(deployment.Text("metadata", "name"), hpa.Text("spec", "scaleTargetRef", "name"));
        Assert.Equal(["cpu", "tts_engine_queue_depth"], hpa.Items("spec", "metrics").Select(m => m.Text("resource", "name") ?? m.Text("pods", "metric", "name")));
        Assert.True(int.Parse(Object("PodDisruptionBudget").Text("spec", "minAvailable")!) < int.Parse(hpa.Text("spec", "minReplicas")!));
    }

    [Fact]
    public void Deployment_and_migration_job_share_image_settings_secret_and_non_root_user()
    {
        var deployment = Object("Deployment");
        var job = Object("Job");
        Assert.Equal(Container(deployment).Text("image"), Container(job).Text("image"));
        Assert.Equal(["migrate"], Container(job).Items("args").Select(a => a.ToString()));

        var secret = Object("Secret");
        var configMap = Object("ConfigMap");
        foreach (var workload in new[] { deployment, job })
        {
            var sources = Container(workload).Items("envFrom").ToList();
            Assert.Contains(sources, s => s.Text("secretRef", "name") == secret.Text("metadata", "name"));
            Assert.Contains(sources, s => s.Text("configMapRef", "name") == configMap.Text("metadata", "name"));
            Assert.Equal("10001", workload.Text("spec", "template", "spec", "securityContext", "runAsUser"));
            var volumes = workload.Items("spec", "template", "spec", "volumes").Select(v => v.Text("name")).ToHashSet();
            Assert.All(Container(workload).Items("volumeMounts"), m => Assert.Contains(m.Text("name"), volumes));
        }

        Assert.Contains("--uid 10001", DeployFiles.Read("Dockerfile"));
        var secretKeys = secret.Entries("stringData").Select(e => e.Key).ToList();
        Assert.Contains("CALLWAITING_DB", secretKeys);
        Assert.Contains("CALLWAITING_REDIS", secretKeys);
        Assert.Contains("CALLWAITING_Realtime__SigningSecret", secretKeys);
        Assert.All(secretKeys.Concat(configMap.Entries("data").Select(e => e.Key)), key => Assert.True(ServerSettings.IsKnown(key), $"{key} is no server setting"));
    }

    [Fact]
    public void Ingress_streams_unbuffered_and_keeps_websockets_open()
    {
        var annotations = Object("Ingress").Entries("metadata", "annotations").ToDictionary(e => e.Key, e => e.Value.ToString());
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-buffering"]);
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600);
        Assert.Equal(NginxConfigTests.ClientMaxBodySize(), annotations["nginx.ingress.kubernetes.io/proxy-body-size"]);
    }
}
