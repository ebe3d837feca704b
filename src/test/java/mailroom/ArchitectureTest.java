package mailroom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The boundaries of DESIGN.md "One directory, many doors", checked on the compiled main classes. */
@AnalyzeClasses(packages = "mailroom", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule theDirectoryDependsOnlyOnItselfAndTheJdk = classes()
            .that().resideInAPackage("mailroom.directory..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("mailroom.directory..", "java..", "javax.crypto..")
            .because("the directory is pure Java and owns its ports; everything else plugs into it");

    @ArchTest
    static final ArchRule theDirectoryUsesNoHttpJsonOrSqlLibrary = noClasses()
            .that().resideInAPackage("mailroom.directory..")
            .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "com.fasterxml..", "org.jdbi..",
                    "java.sql..", "javax.sql..", "org.flywaydb..", "com.zaxxer..", "org.sqlite..", "org.postgresql..");

    @ArchTest
    static final ArchRule theDirectoryKnowsNoDoor = noClasses()
            .that().resideInAPackage("mailroom.directory..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.api..", "mailroom.server..", "mailroom.cli..",
                    "mailroom.store..", "mailroom.seed..");

    @ArchTest
    static final ArchRule doorsDoNotReachIntoTheStore = noClasses()
            .that().resideInAPackage("mailroom.api..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.store..", "org.jdbi..", "java.sql..", "javax.sql..");

    @ArchTest
    static final ArchRule onlyTheServerKnowsTheMetricsLibrary = noClasses()
            .that().resideOutsideOfPackage("mailroom.server..")
            .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..",
                    "com.zaxxer.hikari.metrics.micrometer..")
            .because("doors report through http.RequestMetrics and the store through Hikari's own tracker port");

    @ArchTest
    static final ArchRule theStoreKnowsNoDoorAndNoServer = noClasses()
            .that().resideInAPackage("mailroom.store..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.api..", "mailroom.server..", "mailroom.cli..",
                    "io.helidon..");

    @ArchTest
    static final ArchRule theFeishuDoorDoesNotKnowTheHybridboxDoor = noClasses()
            .that().resideInAPackage("mailroom.api.feishu..")
            .should().dependOnClassesThat().resideInAPackage("mailroom.api.hybridbox..")
            .because("doors meet only in the directory");

    @ArchTest
    static final ArchRule theHybridboxDoorDoesNotKnowTheFeishuDoor = noClasses()
            .that().resideInAPackage("mailroom.api.hybridbox..")
            .should().dependOnClassesThat().resideInAPackage("mailroom.api.feishu..")
            .because("doors meet only in the directory");

    /**
     * The store port is DirectoryStore and the *Records interfaces in Records. Two value types nested in
     * Records (MemberList, ServiceAccount) are still read by the doors; they are not part of the port.
     */
    @ArchTest
    static final ArchRule doorsDoNotUseTheStorePort = noClasses()
            .that().resideInAPackage("mailroom.api..")
            .should().dependOnClassesThat(DescribedPredicate.describe("the store port (DirectoryStore, Records, *Records)",
                    (JavaClass c) -> c.getName().equals("mailroom.directory.DirectoryStore")
                            || c.getName().equals("mailroom.directory.Records")
                            || c.getName().matches("mailroom\\.directory\\.Records\\$\\w+Records")))
            .because("doors call the directory's operations, never its persistence");

    @ArchTest
    static final ArchRule theHttpPlumbingDoesNotKnowTheCompositionRoot = noClasses()
            .that().resideInAPackage("mailroom.http..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.server..", "mailroom.api..", "mailroom.cli..",
                    "mailroom.store..")
            .because("the composition root builds the pipeline's users, not the other way round");
}
