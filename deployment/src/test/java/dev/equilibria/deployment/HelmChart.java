package dev.equilibria.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart through the Helm library embedded by helm-java: {@code lint --strict} and {@code template}, offline. */
final class HelmChart {

    static final String RELEASE = "eq";
    static final String NAMESPACE = "gpu-fleet";
    static final String FULLNAME = RELEASE + "-equilibria";
    /** The Kubernetes version rendered for: that of the schema models the manifests are validated with. */
    static final String KUBE_VERSION = "1.32.0";
    /** Topology presets shipped beside values.yaml. */
    static final List<String> PRESETS = List.of("values-1p2d.yaml", "values-1p5d.yaml");

    private HelmChart() {
    }

    static Path chartDir() {
        return Repo.path(Repo.CHART);
    }

    /**
     * {@code helm lint --strict}, with {@code preset} (may be null) overlaid on the chart's values. helm-java's lint
     * takes no values files, so a preset is linted as a copy of the chart whose values.yaml is the merge that
     * {@code helm lint -f preset} would use.
     */
    static LintResult lint(String preset, Path workDir) {
        Path chart = chartDir();
        if (preset != null) {
            chart = workDir.resolve("equilibria");
            copyTree(chartDir(), chart);
            JsonNode merged = Values.merge(Yamls.load(chartDir().resolve("values.yaml")),
                    Yamls.load(chartDir().resolve(preset)));
            write(chart.resolve("values.yaml"), Yamls.dump(merged));
        }
        return new Helm(chart).lint().strict().call();
    }

    /**
     * {@code helm template eq helm/equilibria -n gpu-fleet --kube-version 1.32.0 [-f preset] [-f overrides]} (the
     * embedded library would otherwise assume Kubernetes 1.20, older than the chart supports).
     */
    static Rendered render(String preset, Map<String, ?> overrides, Path workDir) {
        return render(KUBE_VERSION, preset, overrides, workDir);
    }

    static Rendered render(String kubeVersion, String preset, Map<String, ?> overrides, Path workDir) {
        FakeKubernetesApi.get();
        TemplateCommand template = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(kubeVersion);
        if (preset != null) {
            template.withValuesFile(chartDir().resolve(preset));
        }
        if (!overrides.isEmpty()) {
            template.withValuesFile(valuesFile(overrides, workDir));
        }
        String text = template.call();
        return new Rendered(text, Yamls.parseAll(text));
    }

    /**
     * NOTES.txt as {@code helm install --dry-run=client} prints it after the release summary (helm-java's template
     * leaves the notes out).
     */
    static String notes(Map<String, ?> overrides, Path workDir) {
        FakeKubernetesApi.get();
        InstallCommand install = new Helm(chartDir()).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).dryRun().withDryRunOption(DryRun.CLIENT).clientOnly();
        if (!overrides.isEmpty()) {
            install.withValuesFile(valuesFile(overrides, workDir));
        }
        String output = install.call().getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }

    private static Path valuesFile(Map<String, ?> overrides, Path workDir) {
        try {
            Path file = Files.createTempFile(workDir, "overrides", ".yaml");
            write(file, Yamls.dump(Values.nest(overrides)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rendered render(Path workDir) {
        return render(null, Map.of(), workDir);
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
