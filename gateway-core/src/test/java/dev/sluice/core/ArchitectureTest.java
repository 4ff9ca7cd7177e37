package dev.sluice.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The engine depends on nothing above it: no provider and no HTTP server code. */
class ArchitectureTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice.core");

    @Test
    void coreNeverImportsProvidersOrServer() {
        noClasses().that().resideInAPackage("dev.sluice.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.providers..", "dev.sluice.server..")
                .check(core);
    }

    @Test
    void coreHasNoHttpServerOrClientCode() {
        noClasses().that().resideInAPackage("dev.sluice.core..")
                .should().dependOnClassesThat().resideInAnyPackage("reactor.netty..", "io.netty..")
                .check(core);
    }
}
