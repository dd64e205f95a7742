package io.shuttlebridge.core.api;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The line between a module's public API and its internals: API packages are those without
 * {@code internal} in their name, and what a library user can reach from them (public and protected
 * signatures of public classes: supertypes, method and constructor parameters, return and thrown
 * types, fields, type arguments included) must not name a type of an internal package.
 */
public final class ApiBoundary {
    private ApiBoundary() {}

    /** Every place where the API under {@code rootPackage} exposes an internal type; empty when none. */
    public static List<String> violations(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        List<String> out = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!isApi(c)) {
                continue;
            }
            Stream.concat(c.getRawSuperclass().stream(), c.getRawInterfaces().stream())
                    .filter(ApiBoundary::isInternal)
                    .forEach(t -> out.add(c.getName() + " extends or implements " + t.getName()));
            for (JavaMember m : c.getMembers()) {
                if (!visible(c, m)) {
                    continue;
                }
                for (JavaClass t : involvedTypes(m)) {
                    if (isInternal(t)) {
                        out.add(m.getFullName() + " exposes " + t.getName());
                    }
                }
            }
        }
        return out;
    }

    /** A public class of an API package, reachable from outside (every class enclosing it is public too). */
    private static boolean isApi(JavaClass c) {
        if (isInternal(c) || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        for (Optional<JavaClass> k = Optional.of(c); k.isPresent(); k = k.get().getEnclosingClass()) {
            if (!k.get().getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(JavaClass owner, JavaMember m) {
        if (m.getModifiers().contains(JavaModifier.SYNTHETIC)) {
            return false;
        }
        return m.getModifiers().contains(JavaModifier.PUBLIC)
                || (m.getModifiers().contains(JavaModifier.PROTECTED)
                        && !owner.getModifiers().contains(JavaModifier.FINAL));
    }

    private static List<JavaClass> involvedTypes(JavaMember m) {
        List<JavaClass> out = new ArrayList<>();
        if (m instanceof JavaField f) {
            out.addAll(f.getType().getAllInvolvedRawTypes());
        } else if (m instanceof JavaCodeUnit u) {
            out.addAll(u.getReturnType().getAllInvolvedRawTypes());
            for (JavaType p : u.getParameterTypes()) {
                out.addAll(p.getAllInvolvedRawTypes());
            }
            u.getThrowsClause().getTypes().forEach(out::add);
        }
        return out;
    }

    private static boolean isInternal(JavaClass c) {
        return c.getPackageName().startsWith("io.shuttlebridge.")
                && (c.getPackageName().contains(".internal")
                        || c.getPackageName().endsWith(".internal"));
    }
}
