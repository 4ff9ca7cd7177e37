package dev.sluice.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine's public surface is all that its users touch: the server, the provider adapters and the embedding
 * example use {@code gateway-core} only through its API packages, never through {@code dev.sluice.core.internal}.
 */
class PublicApiTest {

    private static final String INTERNAL = "dev.sluice.core.internal..";

    private final JavaClasses server = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice.server");

    private final JavaClasses providers = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice.providers");

    @Test
    void theServerUsesOnlyTheEnginesPublicApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage(INTERNAL).check(server);
    }

    @Test
    void noServerCodeLivesInTheEnginesPackages() {
        // Everything this module compiled, whatever its package: a class put into the engine's package would be found here.
        JavaClasses compiled = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importUrl(SluiceServer.class.getProtectionDomain().getCodeSource().getLocation());
        noClasses().should().resideInAPackage("dev.sluice.core..").check(compiled);
    }

    @Test
    void providerAdaptersUseOnlyTheEnginesPublicApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage(INTERNAL).check(providers);
    }
}
