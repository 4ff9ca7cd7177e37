package dev.sluice.core;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.sluice.core.internal.engine.EngineSettings;
import dev.sluice.core.internal.engine.GatewayAssembly;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine depends on nothing above it (no provider and no HTTP server code), and its public packages (everything
 * but {@code dev.sluice.core.internal}) neither expose nor use its internals: only {@link Gateway}, the composition
 * root, reaches them, and only through their assembly.
 */
class ArchitectureTest {

    private static final String INTERNAL = "dev.sluice.core.internal..";

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

    @Test
    void publicPackagesNeverDependOnInternals() {
        noClasses().that().resideInAPackage("dev.sluice.core..").and().resideOutsideOfPackage(INTERNAL)
                .and().doNotBelongToAnyOf(Gateway.class)
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .because("the public packages are the engine's API: an internal type there would be API too")
                .check(core);
    }

    @Test
    void theGatewayReachesInternalsOnlyThroughTheirAssembly() {
        classes().that().belongToAnyOf(Gateway.class)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(INTERNAL)
                        .or(belongToAnyOf(GatewayAssembly.class, EngineSettings.class)))
                .check(core);
    }

    @Test
    void publicSignaturesInPublicPackagesNeverNameInternalTypes() {
        codeUnits().that().areDeclaredInClassesThat().resideOutsideOfPackage(INTERNAL)
                .and().areDeclaredInClassesThat().resideInAPackage("dev.sluice.core..")
                .and().arePublic()
                .should(nameNoType(resideInAPackage(INTERNAL)))
                .check(core);
    }

    private static ArchCondition<JavaCodeUnit> nameNoType(DescribedPredicate<JavaClass> internal) {
        return new ArchCondition<>("name no internal type as return or parameter type") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                boolean exposed = internal.test(unit.getRawReturnType())
                        || unit.getRawParameterTypes().stream().anyMatch(internal::test);
                if (exposed && unit.getOwner().getModifiers().contains(JavaModifier.PUBLIC)) {
                    events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " names an internal type"));
                }
            }
        };
    }
}
