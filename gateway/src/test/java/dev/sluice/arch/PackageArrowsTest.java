package dev.sluice.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package arrows of DESIGN.md §2 true. One deliberate addition: provider translators
 * may use {@code upstream}'s SSE framer (framing is upstream's concern, translation needs it).
 */
class PackageArrowsTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.sluice");
  }

  private static String[] allOurPackagesExcept(String... allowed) {
    String[] ours = {"dev.sluice.api..", "dev.sluice.core..", "dev.sluice.server..", "dev.sluice.pipeline..",
        "dev.sluice.tenancy..", "dev.sluice.billing..", "dev.sluice.extension..", "dev.sluice.admission..",
        "dev.sluice.routing..", "dev.sluice.resilience..", "dev.sluice.provider..", "dev.sluice.upstream..",
        "dev.sluice.cost..", "dev.sluice.store..", "dev.sluice.observe..", "dev.sluice.admin..",
        "dev.sluice.console..", "dev.sluice.config..", "dev.sluice.cli..", "dev.sluice.mock..", "dev.sluice.switching..",
        "dev.sluice.cache..", "dev.sluice.embed.."};
    return java.util.Arrays.stream(ours).filter(p -> java.util.Arrays.stream(allowed).noneMatch(p::equals))
        .toArray(String[]::new);
  }

  @Test
  void apiWireTypesDependOnNothingOfOurs() {
    noClasses().that().resideInAPackage("dev.sluice.api..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.api.."))
        .check(classes);
  }

  @Test
  void coreDependsOnlyOnTheOpenAiWireTypes() {
    noClasses().that().resideInAPackage("dev.sluice.core..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.core..", "dev.sluice.api.."))
        .check(classes);
  }

  @Test
  void routingDependsOnlyOnCore() {
    noClasses().that().resideInAPackage("dev.sluice.routing..")
        .should().dependOnClassesThat().resideInAnyPackage(
            allOurPackagesExcept("dev.sluice.routing..", "dev.sluice.core..", "dev.sluice.api.."))
        .check(classes);
  }

  @Test
  void providersDependOnlyOnCoreApiAndSseFraming() {
    noClasses().that().resideInAPackage("dev.sluice.provider..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.provider..",
            "dev.sluice.core..", "dev.sluice.api..", "dev.sluice.upstream.."))
        .check(classes);
    noClasses().that().resideInAPackage("dev.sluice.provider..")
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.sluice.upstream..")
            .and(DescribedPredicate.not(JavaClass.Predicates.simpleNameStartingWith("Sse"))))
        .check(classes);
  }

  @Test
  void oneProviderNeverImportsAnother() {
    String[][] forbidden = {
        {"openai", "anthropic", "gemini", "azure"},
        {"anthropic", "openai", "gemini", "azure"},
        {"gemini", "openai", "anthropic", "azure"},
        {"azure", "anthropic", "gemini"}, // Azure speaks OpenAI's format: it reuses that translator.
        {"vertex", "openai", "azure"}}; // Vertex speaks Gemini's and Anthropic's: it reuses those.
    for (String[] rule : forbidden) {
      noClasses().that().resideInAPackage("dev.sluice.provider." + rule[0] + "..")
          .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.stream(rule).skip(1)
              .map(o -> "dev.sluice.provider." + o + "..").toArray(String[]::new))
          .allowEmptyShould(true).check(classes);
    }
  }

  @Test
  void responseCacheDependsOnlyOnCore() {
    noClasses().that().resideInAPackage("dev.sluice.cache..")
        .should().dependOnClassesThat().resideInAnyPackage(
            allOurPackagesExcept("dev.sluice.cache..", "dev.sluice.core..", "dev.sluice.api.."))
        .check(classes);
  }

  @Test
  void switchingDependsOnlyOnCoreAndRouting() {
    noClasses().that().resideInAPackage("dev.sluice.switching..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.switching..",
            "dev.sluice.core..", "dev.sluice.api..", "dev.sluice.routing.."))
        .check(classes);
  }

  @Test
  void admissionDependsOnlyOnCore() {
    noClasses().that().resideInAPackage("dev.sluice.admission..")
        .should().dependOnClassesThat().resideInAnyPackage(
            allOurPackagesExcept("dev.sluice.admission..", "dev.sluice.core..", "dev.sluice.api.."))
        .check(classes);
  }

  /**
   * {@code com.knuddels.jtokkit.PieceBpe} is Sluice's one class inside a library's package (jtokkit
   * keeps its byte-pair step package-private): only the o200k_base counter in admission may use it,
   * and it knows nothing of Sluice.
   */
  @Test
  void onlyAdmissionUsesTheJtokkitBridgeAndTheBridgeUsesNothingOfOurs() {
    noClasses().that().resideOutsideOfPackage("dev.sluice.admission..")
        .should().dependOnClassesThat().haveFullyQualifiedName("com.knuddels.jtokkit.PieceBpe")
        .check(classes);
    noClasses().should().dependOnClassesThat().resideInAPackage("dev.sluice..")
        .check(new ClassFileImporter().importClasses(com.knuddels.jtokkit.PieceBpe.class));
  }

  @Test
  void upstreamAndConfigDependOnlyOnCore() {
    for (String p : new String[] {"upstream", "config"}) {
      noClasses().that().resideInAPackage("dev.sluice." + p + "..")
          .should().dependOnClassesThat().resideInAnyPackage(
              allOurPackagesExcept("dev.sluice." + p + "..", "dev.sluice.core..", "dev.sluice.api.."))
          .check(classes);
    }
  }

  @Test
  void storeDependsOnlyOnCore() {
    noClasses().that().resideInAPackage("dev.sluice.store..")
        .should().dependOnClassesThat().resideInAnyPackage(
            allOurPackagesExcept("dev.sluice.store..", "dev.sluice.core..", "dev.sluice.api.."))
        .check(classes);
  }

  /**
   * Observe sees core, and of the store only two SPIs: the batch writer's (ledger and request-log rows,
   * their stores), from the writer's package, and the stats rollups', from the stats aggregator.
   */
  @Test
  void observeDependsOnCoreAndTheLedgerAndStatsSpisOnly() {
    noClasses().that().resideInAPackage("dev.sluice.observe..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.observe..",
            "dev.sluice.core..", "dev.sluice.api..", "dev.sluice.store.."))
        .check(classes);
    DescribedPredicate<JavaClass> ledgerSpi = JavaClass.Predicates.belongToAnyOf(
        dev.sluice.store.LedgerStore.class, dev.sluice.store.LedgerRow.class, dev.sluice.store.Outcome.class,
        dev.sluice.store.RowKind.class, dev.sluice.store.AnswerRoute.class,
        dev.sluice.store.BatchStore.class, dev.sluice.store.BatchRow.class, dev.sluice.store.requestlog.RequestRow.class,
        dev.sluice.store.requestlog.RequestLogStore.class, dev.sluice.store.requestlog.RequestQuery.class, dev.sluice.store.requestlog.RequestPage.class,
        dev.sluice.store.requestlog.RequestDetail.class);
    DescribedPredicate<JavaClass> statsSpi = JavaClass.Predicates.belongToAnyOf(dev.sluice.store.stats.StatsStore.class,
        dev.sluice.store.stats.StatsRow.class, dev.sluice.store.stats.StatsGrain.class, dev.sluice.store.stats.StatsDimension.class);
    noClasses().that().resideInAPackage("dev.sluice.observe..")
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.sluice.store..")
            .and(DescribedPredicate.not(ledgerSpi.or(statsSpi))))
        .check(classes);
    noClasses().that().resideInAPackage("dev.sluice.observe..")
        .and().resideOutsideOfPackages("dev.sluice.observe.ledger..", "dev.sluice.observe.stats..")
        .should().dependOnClassesThat().resideInAPackage("dev.sluice.store..")
        .check(classes);
    noClasses().that().resideInAPackage("dev.sluice.observe.stats..").should().dependOnClassesThat(ledgerSpi)
        .check(classes);
    noClasses().that().resideInAPackage("dev.sluice.observe.ledger..").should().dependOnClassesThat(statsSpi)
        .check(classes);
  }

  /**
   * Tracing sees core and the request summary, never the store; only the composition root (server)
   * wires it and only the pipeline calls it, so it never calls back into the request path.
   */
  @Test
  void tracingIsCalledByThePipelineAndWiredByTheServerOnly() {
    noClasses().that().resideInAPackage("dev.sluice.observe.trace..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.store..", "dev.sluice.observe.ledger..")
        .check(classes);
    noClasses().that().resideOutsideOfPackages("dev.sluice.observe.trace..", "dev.sluice.pipeline..",
            "dev.sluice.server..")
        .should().dependOnClassesThat().resideInAPackage("dev.sluice.observe.trace..")
        .check(classes);
  }

  @Test
  void policiesNeverImportAConcreteProvider() {
    noClasses().that().resideInAnyPackage("dev.sluice.routing..", "dev.sluice.resilience..", "dev.sluice.admission..")
        .should().dependOnClassesThat().resideInAPackage("dev.sluice.provider.*..")
        .allowEmptyShould(true).check(classes);
  }

  /** The embedding API starts what {@code sluice serve} starts, so it mounts the admin API and console too. */
  @Test
  void nothingImportsCliAdminOrConsole() {
    noClasses().that().resideOutsideOfPackages("dev.sluice.cli..", "dev.sluice.admin..", "dev.sluice.console..",
            "dev.sluice.embed..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.cli..", "dev.sluice.admin..",
            "dev.sluice.console..")
        .check(classes);
  }

  /**
   * The HTTP shell is the top of the request path: only the two ways to run it start it, the CLI
   * ({@code sluice serve}) and the embedding API ({@code Sluice.start}, for a host JVM application).
   */
  @Test
  void nothingButTheCliAndTheEmbeddingApiImportTheServer() {
    noClasses().that().resideOutsideOfPackages("dev.sluice.server..", "dev.sluice.cli..", "dev.sluice.embed..")
        .should().dependOnClassesThat().resideInAPackage("dev.sluice.server..")
        .check(classes);
  }

  /** The embedding API is for applications outside the gateway: nothing inside uses it, nor does it use the CLI. */
  @Test
  void theEmbeddingApiIsATopNothingImports() {
    noClasses().that().resideOutsideOfPackage("dev.sluice.embed..")
        .should().dependOnClassesThat().resideInAPackage("dev.sluice.embed..")
        .check(classes);
    noClasses().that().resideInAPackage("dev.sluice.embed..")
        .should().dependOnClassesThat().resideInAPackage("dev.sluice.cli..")
        .check(classes);
  }

  /** The request path from admitted to answered never reaches up into the HTTP shell or sideways into admin. */
  @Test
  void pipelineUsesEverythingBelowItButNotTheShellAdminOrMock() {
    noClasses().that().resideInAPackage("dev.sluice.pipeline..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.server..", "dev.sluice.admin..",
            "dev.sluice.cli..", "dev.sluice.mock..", "dev.sluice.extension..")
        .check(classes);
  }

  /** Who is calling is decided from keys (config, store) alone, never from the request path or money. */
  @Test
  void tenancyDependsOnCoreConfigStoreAndMetricsOnly() {
    noClasses().that().resideInAPackage("dev.sluice.tenancy..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.tenancy..",
            "dev.sluice.core..", "dev.sluice.api..", "dev.sluice.config..", "dev.sluice.store..", "dev.sluice.observe.."))
        .check(classes);
  }

  /**
   * Money knows whom it charges (tenancy's principal) and refuses in admission's terms, but never how
   * a request is executed: attempts reach it through its own {@code BillableAttempt}.
   */
  @Test
  void billingNeverSeesThePipelineOrTheShell() {
    noClasses().that().resideInAPackage("dev.sluice.billing..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.billing..",
            "dev.sluice.core..", "dev.sluice.api..", "dev.sluice.cost..", "dev.sluice.store..", "dev.sluice.observe..",
            "dev.sluice.config..", "dev.sluice.tenancy..", "dev.sluice.admission.."))
        .check(classes);
  }

  /** The seam admin routes are mounted through: interfaces over the store, nothing of the request path. */
  @Test
  void extensionPortsSeeOnlyTheStore() {
    noClasses().that().resideInAPackage("dev.sluice.extension..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.extension..",
            "dev.sluice.core..", "dev.sluice.store.."))
        .check(classes);
  }

  @Test
  void noCyclesBetweenPackages() {
    SlicesRuleDefinition.slices().matching("dev.sluice.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theMockUpstreamStandsAlone() {
    noClasses().that().resideInAPackage("dev.sluice.mock..")
        .should().dependOnClassesThat().resideInAnyPackage(allOurPackagesExcept("dev.sluice.mock.."))
        .check(classes);
  }
}
