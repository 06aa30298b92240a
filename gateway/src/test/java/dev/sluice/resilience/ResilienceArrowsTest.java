package dev.sluice.resilience;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN §2: resilience depends on core and routing only; routing on core only. */
class ResilienceArrowsTest {
  private static final String[] OURS_BUT_CORE_AND_ROUTING = {"dev.sluice.api..", "dev.sluice.server..",
      "dev.sluice.admission..", "dev.sluice.provider..", "dev.sluice.upstream..", "dev.sluice.cost..",
      "dev.sluice.store..", "dev.sluice.observe..", "dev.sluice.admin..", "dev.sluice.config..", "dev.sluice.cli..",
      "dev.sluice.mock.."};

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.sluice.resilience", "dev.sluice.routing", "dev.sluice.core");

  @Test
  void resilienceDependsOnlyOnCoreAndRouting() {
    noClasses().that().resideInAPackage("dev.sluice.resilience..")
        .should().dependOnClassesThat().resideInAnyPackage(OURS_BUT_CORE_AND_ROUTING)
        .check(classes);
  }

  @Test
  void routingDoesNotSeeResilience() {
    noClasses().that().resideInAPackage("dev.sluice.routing..")
        .should().dependOnClassesThat().resideInAPackage("dev.sluice.resilience..")
        .check(classes);
  }

  @Test
  void resilienceUsesNoVertxOrJackson() {
    noClasses().that().resideInAnyPackage("dev.sluice.resilience..", "dev.sluice.routing..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "com.fasterxml..")
        .check(classes);
  }
}
