package io.shuttlebridge.jpa.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.jpa.SyncId;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import org.hibernate.generator.GeneratorCreationContext;
import org.junit.jupiter.api.Test;

/**
 * How Hibernate makes the generator of {@code @SyncId}: it looks for public constructors, and which
 * ones changed within Hibernate 7. The build runs 7.4, which also accepts (annotation, context); Spring
 * Boot 4.0 applications run 7.2, which knows only (annotation, member, context), (annotation) and none:
 * they failed to start with "No appropriate constructor for id generator class" before this one
 * existed (the example application, on Boot's Hibernate, runs the rest).
 */
class SyncIdGeneratorTest {
    @Test
    void hasTheConstructorThatHibernate72And74BothLookForFirst() throws Exception {
        Constructor<SyncIdGenerator> c =
                SyncIdGenerator.class.getConstructor(SyncId.class, Member.class, GeneratorCreationContext.class);
        assertThat(Modifier.isPublic(c.getModifiers())).isTrue();
    }
}
