package dev.paddock.server.tree;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathValidatorTest {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b", "/a.b", "/.a", "/a..", "/ä/ö", "/a b"})
    void validPaths(String path) {
        assertThat(PathValidator.isValid(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "/a/", "//", "/a//b", "/.", "/..", "/a/./b", "/a/../b", "/a\u0000b",
            "/a\u0001", "/a\u007f", "/a\ud800", "/a\ufff5"})
    void invalidPaths(String path) {
        assertThat(PathValidator.isValid(path)).isFalse();
    }
}
