package org.atl03.datasource.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The connector's packages keep their direction (see {@link ArchitectureRules}); the rules catch a broken layout. */
class ArchitectureTest {

  private static final JavaClasses CONNECTOR = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.atl03.datasource");

  static Stream<ArchRule> rules() {
    return ArchitectureRules.of("org.atl03.datasource").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void theConnectorKeepsTheRule(ArchRule rule) {
    rule.check(CONNECTOR);
  }

  @Test
  void theRulesCatchSparkInAFormatAHadoopTypeInTheDomainApiAndAnUpwardDependency() {
    JavaClasses broken = new ClassFileImporter().importPackages("org.atl03.architecturebroken");
    List<ArchRule> rules = ArchitectureRules.of("org.atl03.architecturebroken");
    String spark = report(rules.get(0).evaluate(broken));
    String layers = report(rules.get(1).evaluate(broken));
    String domainApi = report(rules.get(2).evaluate(broken));
    assertThat(spark).contains("hdf5.UsesSpark").contains("org.apache.spark.sql.types.DataType")
        .doesNotContain("spark.Fine");
    assertThat(layers).contains("io.ReachesUp").contains("atl03.ExposesHadoop");
    assertThat(domainApi).contains("ExposesHadoop.conf()").contains("ExposesHadoop.open(")
        .doesNotContain("hiddenConf");
  }

  private static String report(EvaluationResult result) {
    assertThat(result.hasViolation()).as("a violation is reported").isTrue();
    return String.join("\n", result.getFailureReport().getDetails());
  }
}
