package io.shuttlebridge.core.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capture SQL put together from parts hands every call to a part: a role method it left out
 * (a default of {@link FeedKeys} above all) would silently bypass the dialect's own version.
 */
class CapturePartsTest {

    @Test
    void everyMethodOfTheCaptureSqlIsHandedToAPart() throws NoSuchMethodException {
        List<Method> roles = Arrays.stream(CaptureSql.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .toList();
        assertThat(roles).hasSizeGreaterThan(15);
        for (Method m : roles) {
            Method declared = CaptureParts.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            assertThat(declared.getDeclaringClass()).as(m.getName()).isEqualTo(CaptureParts.class);
        }
    }
}
