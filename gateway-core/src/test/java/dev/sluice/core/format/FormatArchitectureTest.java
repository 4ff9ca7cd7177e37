package dev.sluice.core.format;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Each wire format is one package that only the format SPI and the canonical model lie beneath. */
class FormatArchitectureTest {

    private static final String[] FORMATS = {"dev.sluice.core.format.openai..", "dev.sluice.core.format.anthropic..",
            "dev.sluice.core.format.gemini.."};

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice.core");

    @Test
    void theFormatInterfacesNeverKnowTheirImplementations() {
        noClasses().that().resideInAnyPackage("dev.sluice.core.format", "dev.sluice.core.format.chat", "dev.sluice.core.format.embeddings",
                        "dev.sluice.core.format.json")
                .should().dependOnClassesThat().resideInAnyPackage(FORMATS)
                .check(core);
    }

    @Test
    void noFormatPackageUsesAnother() {
        for (String format : FORMATS) {
            noClasses().that().resideInAPackage(format)
                    .should().dependOnClassesThat().resideInAnyPackage(others(format))
                    .check(core);
        }
    }

    @Test
    void formatPackagesFormNoCycle() {
        slices().matching("dev.sluice.core.(format).(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void formatsAreEngineFreeAndPublic() {
        noClasses().that().resideInAPackage("dev.sluice.core.format..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.core.internal..", "dev.sluice.core.provider..",
                        "dev.sluice.core.routing..", "dev.sluice.core.store..")
                .check(core);
    }

    private static String[] others(String format) {
        return java.util.Arrays.stream(FORMATS).filter(other -> !other.equals(format)).toArray(String[]::new);
    }
}
