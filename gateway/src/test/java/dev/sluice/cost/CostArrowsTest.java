package dev.sluice.cost;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN §2: cost depends on core only; its arithmetic stays free of Vert.x and of YAML. */
class CostArrowsTest {
  private static final String[] OURS_BUT_CORE = {"dev.sluice.api..", "dev.sluice.server..",
      "dev.sluice.admission..", "dev.sluice.routing..", "dev.sluice.resilience..", "dev.sluice.provider..",
      "dev.sluice.upstream..", "dev.sluice.store..", "dev.sluice.observe..", "dev.sluice.admin..",
      "dev.sluice.config..", "dev.sluice.cli..", "dev.sluice.mock.."};

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.sluice.cost", "dev.sluice.core");

  @Test
  void costDependsOnlyOnCore() {
    noClasses().that().resideInAPackage("dev.sluice.cost..")
        .should().dependOnClassesThat().resideInAnyPackage(OURS_BUT_CORE)
        .check(classes);
  }

  @Test
  void costUsesNoVertxAndOnlyTheCatalogLoaderReadsYaml() {
    noClasses().that().resideInAPackage("dev.sluice.cost..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..")
        .check(classes);
    noClasses().that().resideInAPackage("dev.sluice.cost..").and().doNotHaveSimpleName("CatalogLoader")
        .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml..")
        .check(classes);
  }
}
