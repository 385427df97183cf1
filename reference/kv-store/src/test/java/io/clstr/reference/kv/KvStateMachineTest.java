package io.clstr.reference.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A snapshot of the key-value map restores the same map, every value byte for byte. */
class KvStateMachineTest {

    @Test
    void aSnapshotRestoresEveryKeyAndValueExactly() {
        KvStateMachine machine = new KvStateMachine();
        byte[] unicode = "héllo wörld ✓ 日本語 🎉 \"quoted\" \\ \n".getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, 0x28};
        machine.apply(Command.put("unicode", unicode));
        machine.apply(Command.put("binary", notUtf8));
        machine.apply(Command.put("ключ/日本", "v".getBytes(StandardCharsets.UTF_8)));
        machine.apply(Command.put("gone", "x".getBytes(StandardCharsets.UTF_8)));
        machine.apply(Command.delete("gone"));

        KvStateMachine restored = new KvStateMachine();
        restored.apply(Command.put("stale", "replaced by the restore".getBytes(StandardCharsets.UTF_8)));
        restored.restore(machine.snapshot());

        assertArrayEquals(unicode, restored.get("unicode"));
        assertArrayEquals(notUtf8, restored.get("binary"));
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), restored.get("ключ/日本"));
        assertNull(restored.get("gone"));
        assertNull(restored.get("stale"), "a restore replaces the whole map");
        assertArrayEquals(machine.snapshot(), restored.snapshot(), "the same map gives the same snapshot");
    }

    @Test
    void anEmptyMapRoundTrips() {
        KvStateMachine machine = new KvStateMachine();
        machine.apply(Command.put("k", "v".getBytes(StandardCharsets.UTF_8)));
        machine.apply(Command.clear());
        KvStateMachine restored = new KvStateMachine();
        restored.restore(machine.snapshot());
        assertEquals("{}", new String(restored.snapshot(), StandardCharsets.UTF_8));
        assertTrue(restored.snapshots());
    }

    @Test
    void somethingElseIsNotRestored() {
        KvStateMachine machine = new KvStateMachine();
        machine.apply(Command.put("kept", "v".getBytes(StandardCharsets.UTF_8)));
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> machine.restore("[1, 2]".getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused.getMessage().startsWith("not a snapshot of the key-value map"), refused.getMessage());
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), machine.get("kept"));
    }
}
