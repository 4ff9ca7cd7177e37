package dev.sluice.example;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The README's embedding example, {@link EmbeddedGatewayTest}, needs nothing of the engine's internals. */
class ExampleUsesPublicApiTest {

    @Test
    void theEmbeddingExampleUsesOnlyThePublicApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.sluice.core.internal..")
                .check(new ClassFileImporter().importPackages("dev.sluice.example"));
    }
}
