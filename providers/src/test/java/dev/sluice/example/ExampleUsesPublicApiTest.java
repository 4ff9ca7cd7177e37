package dev.sluice.example;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.providers.mock.MockProviderFactory;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The README's embedding example, {@link EmbeddedGatewayTest}, needs nothing of the engine's internals; and no provider
 * code sits in the engine's packages.
 */
class ExampleUsesPublicApiTest {

    @Test
    void theEmbeddingExampleUsesOnlyThePublicApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.sluice.core.internal..")
                .check(new ClassFileImporter().importPackages("dev.sluice.example"));
    }

    @Test
    void noProviderCodeLivesInTheEnginesPackages() {
        // Everything this module compiled, whatever its package: a class put into the engine's package would be found here.
        noClasses().should().resideInAPackage("dev.sluice.core..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importUrl(MockProviderFactory.class.getProtectionDomain().getCodeSource().getLocation()));
    }
}
