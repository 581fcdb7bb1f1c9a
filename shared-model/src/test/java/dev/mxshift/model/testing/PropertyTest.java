package dev.mxshift.model.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The property runner the property tests stand on: it runs every try, replays a seed, and reports the smallest failing case. */
class PropertyTest {

    private String seedGiven;

    @BeforeEach
    void pinTheSeed() {
        seedGiven = System.getProperty(Property.SEED);
        System.setProperty(Property.SEED, "12345");
    }

    @AfterEach
    void restoreTheSeed() {
        if (seedGiven == null) {
            System.clearProperty(Property.SEED);
        } else {
            System.setProperty(Property.SEED, seedGiven);
        }
    }

    @Test
    void aPassingPropertyRunsEveryTry() {
        AtomicInteger runs = new AtomicInteger();
        Property.forAll(Gen.integers(0, 10)).tries(321).check(value -> runs.incrementAndGet());
        assertThat(runs).hasValue(321);
    }

    @Test
    void theSameSeedDrawsTheSameValuesAndAnotherSeedOthers() {
        Gen<List<Integer>> walks = Gen.integers(0, 1_000_000).list(10, 300);
        List<List<Integer>> first = new ArrayList<>();
        List<List<Integer>> second = new ArrayList<>();
        Property.forAll(walks).tries(50).check(first::add);
        Property.forAll(walks).tries(50).check(second::add);
        assertThat(second).isEqualTo(first);

        System.setProperty(Property.SEED, "12346");
        List<List<Integer>> other = new ArrayList<>();
        Property.forAll(walks).tries(50).check(other::add);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void aFailureNamesTheSeedTheTryAndTheSmallestFailingCase() {
        assertThatThrownBy(() -> Property.forAll(Gen.integers(0, 1_000).list(0, 50)).tries(1_000).check(values ->
                assertThat(values).allMatch(v -> v < 500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("property PropertyTest.aFailureNamesTheSeedTheTryAndTheSmallestFailingCase failed at try ")
                .hasMessageContaining("of 1000, seed 12345 (replay: -Dmxshift.seed=12345)")
                .hasMessageContaining("smallest failing case found (")
                .hasMessageContaining(":\n  [500]\n");
    }

    @Test
    void theSearchTriesShorterListsFirstAndKeepsTheGeneratorsMinimum() {
        AssertionError failure = catchThrowableOfType(AssertionError.class, () ->
                Property.forAll(Gen.integers(0, 1_000_000).list(10, 300)).tries(100).check(choices ->
                        assertThat(choices.stream().filter(c -> c >= 500_000).count()).isLessThan(2)));

        Matcher smallest = Pattern.compile("smallest failing case found \\([^)]*\\):\\n  \\[([^]]*)]\\n").matcher(failure.getMessage());
        assertThat(smallest.find()).as(failure.getMessage()).isTrue();
        List<String> values = List.of(smallest.group(1).split(", "));
        assertThat(values).hasSize(10);
        assertThat(values).filteredOn("500000"::equals).hasSize(2);
        assertThat(values).filteredOn("0"::equals).hasSize(8);
    }

    @Test
    void aThrownExceptionFailsTheProperty() {
        assertThatThrownBy(() -> Property.forAll(Gen.strings(Gen.chars('a', 'z'), 0, 20)).tries(200).check(s -> {
            if (s.contains("q")) {
                throw new IllegalStateException("no q please");
            }
        })).hasMessageContaining(":\n  q\n").hasMessageContaining("java.lang.IllegalStateException: no q please");
    }

    @Test
    void drawsStayInTheirBoundsAndReachThem() {
        SplittableRandom random = new SplittableRandom(7);
        Gen<Long> ttls = Gen.longs(30, 86_400);
        Gen<List<Integer>> lists = Gen.integers(0, 3).list(2, 40);
        Gen<Character> chars = Gen.anyChar();
        List<Long> drawnTtls = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        boolean surrogate = false;
        boolean comma = false;
        for (int i = 0; i < 2_000; i++) {
            drawnTtls.add(ttls.draw(random).value());
            sizes.add(lists.draw(random).value().size());
            char c = chars.draw(random).value();
            surrogate |= Character.isSurrogate(c);
            comma |= c == ',';
        }
        assertThat(drawnTtls).allMatch(t -> t >= 30 && t <= 86_400).contains(30L, 86_400L);
        assertThat(sizes).allMatch(s -> s >= 2 && s <= 40).contains(2, 40);
        assertThat(surrogate).as("a lone surrogate drawn").isTrue();
        assertThat(comma).as("a comma drawn").isTrue();
        assertThat(Gen.longs(30, 86_400).orNull(0.5).draw(new SplittableRandom(1)).simpler().findFirst().map(Sample::value))
                .as("null is the simplest").isEmpty();
    }
}
