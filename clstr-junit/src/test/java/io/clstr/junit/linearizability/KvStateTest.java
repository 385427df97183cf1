package io.clstr.junit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key-value state: values built by puts and appends in any way compare and hash as their strings. */
class KvStateTest {

    @Test
    void aValueAppendedPieceByPieceEqualsTheSamePut() {
        KvState appended = KvState.EMPTY.appended("k", "ab").appended("k", "c").appended("k", "de");
        KvState put = KvState.EMPTY.with("k", "abcde");
        KvState split = KvState.EMPTY.with("k", "a").appended("k", "bcd").appended("k", "e");
        assertThat(appended)
                .isEqualTo(put)
                .isEqualTo(split)
                .hasSameHashCodeAs(put)
                .hasSameHashCodeAs(split);
        assertThat(appended.get("k")).isEqualTo("abcde");
        assertThat(appended.holds("k", "abcde")).isTrue();
        assertThat(appended.holds("k", "abcdf")).isFalse();
        assertThat(appended.holds("k", "abcd")).isFalse();
    }

    @Test
    void aValueMayGrowIntoLongerTextThatItsLastPieceFits() {
        KvState s = KvState.EMPTY.appended("k", "ab").appended("k", "c");
        assertThat(s.mayGrowInto("k", "abc")).isTrue();
        assertThat(s.mayGrowInto("k", "abcde")).isTrue();
        assertThat(s.mayGrowInto("k", "abxde")).as("last piece out of place").isFalse();
        assertThat(s.mayGrowInto("k", "ab")).as("already longer").isFalse();
        assertThat(s.mayGrowInto("other", "anything")).as("absent: empty").isTrue();
    }

    @Test
    void valuesOfTheSameLengthAndDifferentTextDiffer() {
        KvState a = KvState.EMPTY.appended("k", "x 1 ").appended("k", "x 2 ");
        KvState b = KvState.EMPTY.appended("k", "x 2 ").appended("k", "x 1 ");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.holds("k", "x 1 x 2 ")).isTrue();
        assertThat(b.holds("k", "x 1 x 2 ")).isFalse();
    }

    @Test
    void absentAndEmptyAreAlikeAndKeysAreIndependent() {
        KvState s = KvState.EMPTY.with("a", "1").with("b", "2");
        assertThat(s.with("b", ""))
                .isEqualTo(KvState.EMPTY.with("a", "1"))
                .hasSameHashCodeAs(KvState.EMPTY.with("a", "1"));
        assertThat(s.holds("c", "")).isTrue();
        assertThat(s.appended("c", "")).isSameAs(s);
        assertThat(KvState.EMPTY.with("b", "2").with("a", "1")).isEqualTo(s).hasSameHashCodeAs(s);
        assertThat(s.with("a", "1")).isSameAs(s);
        assertThat(s.appended("a", "x").get("b")).isEqualTo("2");
    }

    @Test
    void randomBuildsAgreeWithPlainStrings() {
        Random random = new Random(7);
        int equal = 0;
        for (int round = 0; round < 5_000; round++) {
            StringBuilder sx = new StringBuilder();
            StringBuilder sy = new StringBuilder();
            KvState x = build(random, sx);
            KvState y = build(random, sy);
            boolean same = sx.toString().equals(sy.toString());
            equal += same ? 1 : 0;
            assertThat(x.get("k")).isEqualTo(sx.toString());
            assertThat(x.equals(y)).as("%s vs %s", sx, sy).isEqualTo(same);
            assertThat(x.holds("k", sy.toString())).isEqualTo(same);
            if (same) {
                assertThat(x.hashCode()).isEqualTo(y.hashCode());
            }
        }
        assertThat(equal).isGreaterThan(200);
    }

    /** A value of key k from a few random puts and appends of short pieces, its text kept in {@code text}. */
    private static KvState build(Random random, StringBuilder text) {
        String[] pieces = {"a", "b", "ab", "ba", ""};
        KvState s = KvState.EMPTY;
        for (int i = random.nextInt(4); i > 0; i--) {
            String p = pieces[random.nextInt(pieces.length)];
            if (random.nextInt(4) == 0) {
                text.setLength(0);
                s = s.with("k", p);
            } else {
                s = s.appended("k", p);
            }
            text.append(p);
        }
        return s;
    }
}
