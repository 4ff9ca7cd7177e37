package dev.sluice.server;

import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.SluiceConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy files agree with each other and with the gateway: parsed, not run (there is no Docker engine or cluster
 * here). Ports, probe paths, config paths, secret and config map names, the non-root user, resources, the
 * autoscaler's target and the disruption budget are checked; the configuration files load as Sluice configs.
 */
@SuppressWarnings("unchecked")
class DeployFilesTest {

    private static final Path DEPLOY = repositoryRoot().resolve("deploy");
    private static final String POSTGRES_URL = "r2dbc:postgresql://sluice:pw@postgres:5432/sluice";

    @Test
    void dockerfileBuildsWithTheWrapperAndRunsOnAJre21AsANonRootUserWithAHealthCheck() {
        List<String> lines = read(DEPLOY.resolve("Dockerfile")).lines().map(String::strip).toList();
        List<String> froms = lines.stream().filter(line -> line.startsWith("FROM ")).toList();
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        assertThat(froms.getFirst()).contains("jdk").contains(" AS build");
        assertThat(froms.getLast()).contains("21-jre");
        assertThat(lines).anyMatch(line -> line.contains("./mvnw") && line.contains("package"));
        int runStage = lines.indexOf(froms.getLast());
        List<String> runtime = lines.subList(runStage, lines.size());
        String user = runtime.stream().filter(line -> line.startsWith("USER ")).findFirst().orElseThrow();
        assertThat(user.substring(5).split(":")[0]).isNotIn("0", "root");
        assertThat(String.join("\n", runtime)).contains("MaxRAMPercentage", "ExitOnOutOfMemoryError", "EXPOSE 8080")
                .contains("HEALTHCHECK").contains("/health/ready");
        for (String copy : runtime.stream().filter(line -> line.startsWith("COPY ") && !line.contains("--from")).toList()) {
            assertThat(repositoryRoot().resolve(copy.split("\\s+")[1])).as(copy).exists();
        }
        assertThat(read(DEPLOY.resolve("Dockerfile.dockerignore"))).contains("**/target");
    }

    @Test
    void imageConfigurationLoadsOnH2AloneAndOnPostgresFromTheEnvironment() {
        SluiceConfig alone = load(read(DEPLOY.resolve("sluice.yaml")), Map.of());
        assertThat(alone.server().host()).isEqualTo("0.0.0.0");
        assertThat(alone.server().port()).isEqualTo(8080);
        assertThat(alone.server().accessLog()).isTrue();
        assertThat(alone.store().url()).startsWith("r2dbc:h2:file:");

        SluiceConfig shared = load(read(DEPLOY.resolve("sluice.yaml")), Map.of("SLUICE_STORE_URL", POSTGRES_URL));
        assertThat(shared.store().url()).isEqualTo(POSTGRES_URL);
    }

    @Test
    void composeRunsTwoReplicasOnPostgresBehindOneProxyPortWithPrometheusScrapingEach() {
        Map<String, Object> compose = yaml(DEPLOY.resolve("compose.yaml")).getFirst();
        Map<String, Object> services = map(compose, "services");
        assertThat(services).containsKeys("postgres", "sluice-1", "sluice-2", "proxy", "prometheus");

        for (String name : List.of("sluice-1", "sluice-2")) {
            Map<String, Object> sluice = map(services, name);
            Map<String, Object> build = map(sluice, "build");
            assertThat(DEPLOY.resolve(String.valueOf(build.get("context"))).resolve(String.valueOf(build.get("dockerfile"))).normalize())
                    .isEqualTo(DEPLOY.resolve("Dockerfile").normalize());
            assertThat(String.valueOf(map(sluice, "environment").get("SLUICE_STORE_URL"))).startsWith("r2dbc:postgresql://").contains("@postgres:5432/");
            assertThat(map(map(sluice, "depends_on"), "postgres")).containsEntry("condition", "service_healthy");
            assertThat(sluice).doesNotContainKey("ports");
        }
        List<String> published = new ArrayList<>();
        services.forEach((name, service) -> list((Map<String, Object>) service, "ports").forEach(port -> published.add(name + "=" + port)));
        assertThat(published).containsExactlyInAnyOrder("proxy=8080:8080", "prometheus=9090:9090");
        assertThat(map(map(services, "postgres"), "healthcheck")).containsKey("test");

        for (Object service : services.values()) {
            for (Object volume : list((Map<String, Object>) service, "volumes")) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(DEPLOY.resolve(source)).as(String.valueOf(volume)).exists();
                }
            }
        }
        String nginx = read(DEPLOY.resolve("nginx/nginx.conf"));
        assertThat(nginx).contains("server sluice-1:8080", "server sluice-2:8080", "listen 8080", "proxy_buffering off");

        Map<String, Object> prometheus = yaml(DEPLOY.resolve("prometheus/prometheus.yml")).getFirst();
        Map<String, Object> job = (Map<String, Object>) list(prometheus, "scrape_configs").getFirst();
        assertThat(job).containsEntry("metrics_path", "/metrics");
        assertThat(list((Map<String, Object>) list(job, "static_configs").getFirst(), "targets")).containsExactlyInAnyOrder("sluice-1:8080", "sluice-2:8080");
    }

    @Test
    void kubernetesManifestsAgreeOnNamesPortsProbesAndSecurity() {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        List<String> files = new ArrayList<>();
        try (Stream<Path> manifests = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path file : manifests.sorted().toList()) {
                files.add(file.getFileName().toString());
                for (Map<String, Object> document : yaml(file)) {
                    byKind.put(String.valueOf(document.get("kind")), document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(byKind).containsKeys("Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget");

        Map<String, Object> deployment = byKind.get("Deployment");
        Map<String, Object> labels = map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels");
        assertThat(map(map(map(deployment, "spec"), "selector"), "matchLabels")).isEqualTo(labels);
        Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        assertThat((Integer) map(pod, "securityContext").get("runAsUser")).isPositive();
        Map<String, Object> container = (Map<String, Object>) list(pod, "containers").getFirst();
        Map<String, Object> port = (Map<String, Object>) list(container, "ports").getFirst();
        assertThat(port).containsEntry("name", "http").containsEntry("containerPort", 8080);
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/health/ready").containsEntry("port", "http");
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/health").containsEntry("port", "http");
        assertThat(map(container, "securityContext")).containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true);
        assertThat(map(map(container, "resources"), "requests")).containsKeys("cpu", "memory");
        assertThat(map(map(container, "resources"), "limits")).containsKey("memory");

        // Secrets by reference only, to the Secret the example shows, by keys it has.
        Map<String, Object> secret = byKind.get("Secret");
        String secretName = String.valueOf(map(secret, "metadata").get("name"));
        List<Object> env = list(container, "env");
        assertThat(env).anyMatch(variable -> "SLUICE_STORE_URL".equals(((Map<?, ?>) variable).get("name")));
        for (Object variable : env) {
            Map<String, Object> from = (Map<String, Object>) ((Map<String, Object>) variable).get("valueFrom");
            if (from != null) {
                Map<String, Object> ref = map(from, "secretKeyRef");
                assertThat(ref).containsEntry("name", secretName);
                assertThat(map(secret, "stringData")).containsKey(String.valueOf(ref.get("key")));
            } else {
                assertThat(String.valueOf(((Map<?, ?>) variable).get("name"))).doesNotContain("KEY", "TOKEN", "PASSWORD");
            }
        }

        // The config map is mounted where the container is told to read it, and is a valid Sluice configuration.
        Map<String, Object> configMap = byKind.get("ConfigMap");
        String configName = String.valueOf(map(configMap, "metadata").get("name"));
        Map<String, Object> configVolume = list(pod, "volumes").stream().map(volume -> (Map<String, Object>) volume)
                .filter(volume -> volume.containsKey("configMap")).findFirst().orElseThrow();
        assertThat(map(configVolume, "configMap")).containsEntry("name", configName);
        String mountPath = list(container, "volumeMounts").stream().map(mount -> (Map<String, Object>) mount)
                .filter(mount -> mount.get("name").equals(configVolume.get("name"))).map(mount -> String.valueOf(mount.get("mountPath")))
                .findFirst().orElseThrow();
        String configFile = String.valueOf(list(container, "args").getLast());
        assertThat(configFile).startsWith(mountPath + "/");
        String configText = String.valueOf(map(configMap, "data").get(configFile.substring(mountPath.length() + 1)));
        SluiceConfig config = load(configText, Map.of("SLUICE_STORE_URL", POSTGRES_URL));
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.store().url()).startsWith("r2dbc:postgresql:");

        Map<String, Object> service = byKind.get("Service");
        assertThat(map(map(service, "spec"), "selector")).isEqualTo(labels);
        assertThat((Map<String, Object>) list(map(service, "spec"), "ports").getFirst()).containsEntry("targetPort", "http");

        String deploymentName = String.valueOf(map(deployment, "metadata").get("name"));
        Map<String, Object> hpa = map(byKind.get("HorizontalPodAutoscaler"), "spec");
        assertThat(map(hpa, "scaleTargetRef")).containsEntry("kind", "Deployment").containsEntry("name", deploymentName);
        assertThat((Integer) hpa.get("minReplicas")).isGreaterThanOrEqualTo(2);
        assertThat((Integer) hpa.get("maxReplicas")).isGreaterThan((Integer) hpa.get("minReplicas"));
        Map<String, Object> target = map(map((Map<String, Object>) list(hpa, "metrics").getFirst(), "resource"), "target");
        assertThat((Integer) target.get("averageUtilization")).isBetween(1, 100);

        Map<String, Object> pdb = map(byKind.get("PodDisruptionBudget"), "spec");
        assertThat(map(map(pdb, "selector"), "matchLabels")).isEqualTo(labels);
        assertThat((Integer) pdb.get("minAvailable")).isPositive().isLessThan((Integer) hpa.get("minReplicas"));

        List<Object> resources = list(byKind.get("Kustomization"), "resources");
        assertThat(files).containsAll(resources.stream().map(String::valueOf).toList());
        assertThat(resources).doesNotContain("secret.example.yaml");
    }

    private static SluiceConfig load(String yaml, Map<String, String> env) {
        return new ConfigLoader(env, ProviderFactories.load(DeployFilesTest.class.getClassLoader())).parse(yaml, "deploy");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> yaml(Path file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(file))) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        assertThat(documents).as(file.toString()).isNotEmpty();
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key + " in " + parent.keySet()).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? List.of() : (List<Object>) value;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tests run in the module's directory; the deploy files are one level up. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("deploy")) && Files.exists(candidate.resolve("mvnw"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no repository root with deploy/ above " + here);
    }
}
