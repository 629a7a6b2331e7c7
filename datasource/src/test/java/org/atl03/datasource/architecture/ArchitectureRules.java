package org.atl03.datasource.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures;
import java.util.ArrayList;
import java.util.List;

/**
 * The connector's dependency direction, as rules over a root package laid out like {@code org.atl03.datasource}:
 * bytes ({@code io}) → formats ({@code hdf5}, {@code kerchunk}, {@code flatgeobuf}, {@code delta}) → the ATL03
 * domain ({@code atl03}) → Spark ({@code spark}). A function of the root so that the rules are also shown to catch a
 * layout that breaks them ({@code org.atl03.architecturebroken}).
 */
final class ArchitectureRules {

  private ArchitectureRules() {}

  static List<ArchRule> of(String root) {
    List<ArchRule> rules = new ArrayList<>();
    rules.add(noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + ".spark..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
        .as("no Spark below the spark packages"));
    rules.add(Architectures.layeredArchitecture().consideringOnlyDependenciesInAnyPackage(root + "..")
        .withOptionalLayers(true)
        .layer("io").definedBy(root + ".io..")
        .layer("hdf5").definedBy(root + ".hdf5..")
        .layer("kerchunk").definedBy(root + ".kerchunk..")
        .layer("flatgeobuf").definedBy(root + ".flatgeobuf..")
        .layer("delta").definedBy(root + ".delta..")
        .layer("atl03").definedBy(root + ".atl03..")
        .layer("spark").definedBy(root + ".spark..")
        .whereLayer("spark").mayNotBeAccessedByAnyLayer()
        .whereLayer("atl03").mayOnlyBeAccessedByLayers("spark")
        .whereLayer("flatgeobuf").mayOnlyBeAccessedByLayers("spark")
        .whereLayer("delta").mayOnlyBeAccessedByLayers("atl03", "spark")
        .whereLayer("kerchunk").mayOnlyBeAccessedByLayers("atl03", "spark")
        .whereLayer("hdf5").mayOnlyBeAccessedByLayers("kerchunk", "atl03", "spark")
        .whereLayer("io").mayOnlyBeAccessedByLayers("hdf5", "kerchunk", "flatgeobuf", "delta", "atl03", "spark")
        .as("io → hdf5 → kerchunk, io → flatgeobuf, io → delta, formats → atl03 → spark"));
    rules.add(noCodeUnits().that().areDeclaredInClassesThat().resideInAPackage(root + ".atl03..")
        .and().areDeclaredInClassesThat().arePublic().and().arePublic()
        .should(exposeAnyTypeIn("org.apache.hadoop.."))
        .as("no Hadoop type in the ATL03 domain's public API"));
    return rules;
  }

  /** Code units whose parameters or return type name a type in {@code packagePattern}'s packages (generics too). */
  private static ArchCondition<JavaCodeUnit> exposeAnyTypeIn(String packagePattern) {
    String prefix = packagePattern.replace("..", "");
    return new ArchCondition<>("expose a type in " + packagePattern) {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        if (unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
          return;
        }
        List<JavaType> types = new ArrayList<>(unit.getParameterTypes());
        types.add(unit.getReturnType());
        for (JavaType type : types) {
          for (JavaClass raw : type.getAllInvolvedRawTypes()) {
            if (raw.getPackageName().startsWith(prefix)) {
              events.add(SimpleConditionEvent.satisfied(unit, unit.getFullName() + " exposes " + raw.getName()));
            }
          }
        }
      }
    };
  }
}
