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
    static final ArchRule theMtaDoorDoesNotReachIntoTheStore = noClasses()
            .that().resideInAPackage("mailroom.mta..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.store..", "org.jdbi..", "java.sql..", "javax.sql..")
            .orShould().dependOnClassesThat(DescribedPredicate.describe("the store port (DirectoryStore, Records, Records.*)",
                    (JavaClass c) -> c.getName().equals("mailroom.directory.DirectoryStore")
                            || c.getName().equals("mailroom.directory.Records")
                            || c.getName().startsWith("mailroom.directory.Records$")))
            .because("the MTA door asks the directory's delivery answers, never its persistence");

    @ArchTest
    static final ArchRule theMtaDoorKnowsNoOtherDoorAndNoHttp = noClasses()
            .that().resideInAPackage("mailroom.mta..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.api..", "mailroom.http..", "mailroom.cli..",
                    "mailroom.seed..", "io.helidon..", "com.fasterxml..")
            .because("doors meet only in the directory, and this one is not HTTP");

    @ArchTest
    static final ArchRule theMtaDoorUsesOnlyTheServiceInterfaceOfTheServer = noClasses()
            .that().resideInAPackage("mailroom.mta..")
            .should().dependOnClassesThat(DescribedPredicate.describe("a server class other than Service",
                    (JavaClass c) -> c.getPackageName().startsWith("mailroom.server") && !c.getName().equals("mailroom.server.Service")))
            .because("the composition root builds the door, not the other way round");

    @ArchTest
    static final ArchRule theJournalsReadersAskTheDirectoryNotTheStoreNorADoor = noClasses()
            .that().resideInAPackage("mailroom.events..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.store..", "org.jdbi..", "java.sql..", "javax.sql..",
                    "mailroom.api..", "mailroom.http..", "mailroom.cli..", "mailroom.seed..", "io.helidon..")
            .orShould().dependOnClassesThat(DescribedPredicate.describe("the store port (DirectoryStore, Records, Records.*)",
                    (JavaClass c) -> c.getName().equals("mailroom.directory.DirectoryStore")
                            || c.getName().equals("mailroom.directory.Records")
                            || c.getName().startsWith("mailroom.directory.Records$")))
            .orShould().dependOnClassesThat(DescribedPredicate.describe("a server class other than Service",
                    (JavaClass c) -> c.getPackageName().startsWith("mailroom.server") && !c.getName().equals("mailroom.server.Service")))
            .because("the audit log, the change feed and webhooks read the journal through the directory, beside the doors");

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

    /** Every package below mailroom.api is one door (the shared FieldNames sits in mailroom.api itself). */
    @ArchTest
    static final ArchRule doorsDoNotKnowEachOther = com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
            .matching("mailroom.api.(*)..").should().notDependOnEachOther()
            .because("doors meet only in the directory");

    @ArchTest
    static final ArchRule theMtaDoorDoesNotKnowTheHttpDoors = noClasses()
            .that().resideInAPackage("mailroom.mta..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.api..", "mailroom.http..")
            .allowEmptyShould(true)
            .because("doors meet only in the directory");

    /** Every claim, release, move and swap of an address goes through the namespace. */
    @ArchTest
    static final ArchRule onlyTheNamespaceWritesAddresses = noClasses()
            .that().doNotHaveFullyQualifiedName("mailroom.directory.address.Namespace")
            .should().callMethodWhere(DescribedPredicate.describe("a write of the address table",
                    (com.tngtech.archunit.core.domain.JavaMethodCall call) ->
                            call.getTargetOwner().getName().equals("mailroom.directory.Records$AddressRecords")
                                    && java.util.Set.of("tryInsert", "insertAll", "delete", "deleteOwnedBy")
                                            .contains(call.getName())))
            .because("the namespace is the one writer of addresses");

    /** The store port is DirectoryStore and Records with everything nested in it; only the core and the store use it. */
    @ArchTest
    static final ArchRule doorsSeedAndCliDoNotUseTheStorePort = noClasses()
            .that().resideInAnyPackage("mailroom.api..", "mailroom.seed..", "mailroom.cli..", "mailroom.http..")
            .should().dependOnClassesThat(DescribedPredicate.describe("the store port (DirectoryStore, Records, Records.*)",
                    (JavaClass c) -> c.getName().equals("mailroom.directory.DirectoryStore")
                            || c.getName().equals("mailroom.directory.Records")
                            || c.getName().startsWith("mailroom.directory.Records$")))
            .because("they call the directory's operations, never its persistence");

    /**
     * Sub-packages reach each other only through public types and members, which the compiler enforces
     * and DirectoryFacesTest pins; this rule keeps the core's root from growing into a second core.
     */
    @ArchTest
    static final ArchRule theDirectoryRootHoldsOnlyTheEntryPointThePortAndTheJournal = classes()
            .that().resideInAPackage("mailroom.directory").and().areTopLevelClasses()
            .should().haveSimpleNameStartingWith("Directory").orShould().haveSimpleNameStartingWith("Records")
            .orShould().haveSimpleNameStartingWith("Caller").orShould().haveSimpleNameStartingWith("Change")
            .orShould().haveSimpleNameStartingWith("Journal").orShould().haveSimpleNameStartingWith("States")
            .orShould().haveSimpleNameStartingWith("Reason").orShould().haveSimpleNameStartingWith("Page")
            .orShould().haveSimpleNameStartingWith("Ids").orShould().haveSimpleNameStartingWith("Text")
            // the port's companion: a cache only the port's change counts can vouch for
            .orShould().haveSimpleName("KindCache");

    @ArchTest
    static final ArchRule theHttpPlumbingDoesNotKnowTheCompositionRoot = noClasses()
            .that().resideInAPackage("mailroom.http..")
            .should().dependOnClassesThat().resideInAnyPackage("mailroom.server..", "mailroom.api..", "mailroom.cli..",
                    "mailroom.store..")
            .because("the composition root builds the pipeline's users, not the other way round");
}
