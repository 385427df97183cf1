package io.clstr.junit.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in models: a register, a key-value map and a store of revisioned keys with
 * compare-and-swap (both partitioned per key).
 */
public final class Models {

    /** The value of a register that was never written. */
    public static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "nil";
        }
    };

    private Models() {}

    /** A register: read (output the value or {@link #ABSENT}), write, cas (output {@link Boolean}). */
    public static Model<Object, RegisterInput, Object> register() {
        return new Model<>() {
            @Override
            public Object init() {
                return ABSENT;
            }

            @Override
            public Object step(Object state, RegisterInput in, Object out) {
                return switch (in.kind()) {
                    case READ -> out == null || out.equals(state) ? state : null;
                    case WRITE -> in.value();
                    case CAS -> {
                        boolean matches = state.equals(in.expected());
                        if (out == null) {
                            yield matches ? in.value() : state;
                        }
                        yield matches == (Boolean) out ? (matches ? in.value() : state) : null;
                    }
                };
            }

            @Override
            public boolean readOnly(RegisterInput in, Object out) {
                return out != null && (in.kind() == RegisterInput.Kind.READ || Boolean.FALSE.equals(out));
            }
        };
    }

    /**
     * A key-value map, partitioned per key: get (output the value, "" if absent), put, delete,
     * append, cas (output {@link Boolean}). Partitioning also drops every open put whose value no
     * get of its key returned, on keys without appends or cas: such a put may always be taken as
     * never having happened (a read between it and the next write would have returned its value),
     * so the verdict is the same and the search does not carry it to the end of the history.
     */
    public static Model<Object, KvInput, Object> kv() {
        return new Model<>() {
            @Override
            public Object init() {
                return KvState.EMPTY;
            }

            @Override
            public Object step(Object state, KvInput in, Object out) {
                KvState map = (KvState) state;
                return switch (in.kind()) {
                    case GET -> out == null || (out instanceof String s && map.holds(in.key(), s)) ? map : null;
                    case PUT -> map.with(in.key(), in.value());
                    case DELETE -> map.with(in.key(), "");
                    case APPEND -> map.appended(in.key(), in.value());
                    case CAS -> {
                        boolean matches = map.holds(in.key(), in.expected());
                        if (out != null && matches != (Boolean) out) {
                            yield null;
                        }
                        yield matches ? map.with(in.key(), in.value()) : map;
                    }
                };
            }

            @Override
            public boolean readOnly(KvInput in, Object out) {
                return out != null && (in.kind() == KvInput.Kind.GET || Boolean.FALSE.equals(out));
            }

            @Override
            public boolean extendsOnly(KvInput in) {
                return in.kind() == KvInput.Kind.APPEND || in.kind() == KvInput.Kind.GET;
            }

            @Override
            public boolean mayReach(Object state, KvInput in, Object out) {
                return in.kind() != KvInput.Kind.GET || ((KvState) state).mayGrowInto(in.key(), (String) out);
            }

            @Override
            public Object part(KvInput in) {
                return in.key();
            }

            @Override
            public Object partState(Object state, Object part) {
                return ((KvState) state).slot((String) part);
            }

            @Override
            public String describe(KvInput in, Object out) {
                if (in.kind() == KvInput.Kind.GET) {
                    return in + " -> " + (out == null ? "?" : "".equals(out) ? "absent" : "\"" + out + "\"");
                }
                return in + (out == null ? "" : " -> " + out);
            }

            @Override
            public List<List<Operation<KvInput, Object>>> partition(List<Operation<KvInput, Object>> history) {
                Map<String, List<Operation<KvInput, Object>>> byKey = new LinkedHashMap<>();
                Map<String, Set<Object>> read = new HashMap<>();
                Set<String> derived = new HashSet<>();
                // loops, not lambdas: each lambda is bootstrapped on first use, which a cold start pays
                for (Operation<KvInput, Object> op : history) {
                    String key = op.input().key();
                    List<Operation<KvInput, Object>> ops = byKey.get(key);
                    if (ops == null) {
                        ops = new ArrayList<>();
                        byKey.put(key, ops);
                    }
                    ops.add(op);
                    KvInput.Kind kind = op.input().kind();
                    if (kind == KvInput.Kind.GET) {
                        Set<Object> values = read.get(key);
                        if (values == null) {
                            values = new HashSet<>();
                            read.put(key, values);
                        }
                        values.add(op.output());
                    } else if (kind == KvInput.Kind.APPEND || kind == KvInput.Kind.CAS) {
                        derived.add(key);
                    }
                }
                List<List<Operation<KvInput, Object>>> parts = new ArrayList<>();
                for (Map.Entry<String, List<Operation<KvInput, Object>>> e : byKey.entrySet()) {
                    String key = e.getKey();
                    parts.add(
                            derived.contains(key)
                                    ? e.getValue()
                                    : withoutUnseenOpenPuts(e.getValue(), read.getOrDefault(key, Set.of())));
                }
                return parts;
            }
        };
    }

    /** {@code ops} without the open puts of a value no read returned (only where no append or cas reads values). */
    private static List<Operation<KvInput, Object>> withoutUnseenOpenPuts(
            List<Operation<KvInput, Object>> ops, Set<Object> read) {
        List<Operation<KvInput, Object>> kept = new ArrayList<>();
        for (Operation<KvInput, Object> op : ops) {
            if (!(op.isOpen()
                    && op.input().kind() == KvInput.Kind.PUT
                    && !read.contains(op.input().value()))) {
                kept.add(op);
            }
        }
        return kept;
    }

    /**
     * Keys with revisions, partitioned per key: read (output {@link CasOutput#found} or
     * {@link CasOutput#absent}), write, create-only, swap on a revision, delete (output
     * {@link CasOutput#applied} with the new revision, or {@link CasOutput#rejected}). Every applied
     * write gives its key a higher revision than it had; a read returns the value and revision of the
     * last write; a swap applies exactly when the key holds the revision it expects, a create exactly
     * when the key is absent. Revisions may be cluster-wide (only their order per key is checked).
     */
    public static Model<Object, CasInput, CasOutput> casRegister() {
        return new Model<>() {
            @Override
            public Object init() {
                return CasState.INITIAL;
            }

            @Override
            public Object step(Object state, CasInput in, CasOutput out) {
                return ((CasState) state).step(in, out);
            }

            @Override
            public List<List<Operation<CasInput, CasOutput>>> partition(List<Operation<CasInput, CasOutput>> history) {
                Map<String, List<Operation<CasInput, CasOutput>>> byKey = new LinkedHashMap<>();
                for (Operation<CasInput, CasOutput> op : history) {
                    List<Operation<CasInput, CasOutput>> ops =
                            byKey.get(op.input().key());
                    if (ops == null) {
                        ops = new ArrayList<>();
                        byKey.put(op.input().key(), ops);
                    }
                    ops.add(op);
                }
                return List.copyOf(byKey.values());
            }
        };
    }

    /**
     * {@code model} checking the whole history as one object (its partitioning disabled): one search
     * over the model's single state. The parts the model declares ({@link Model#part}) are kept: they
     * do not split the history, they tell the search which operations commute.
     */
    public static <S, I, O> Model<S, I, O> unpartitioned(Model<S, I, O> model) {
        return new Model<>() {
            @Override
            public S init() {
                return model.init();
            }

            @Override
            public S step(S state, I input, O output) {
                return model.step(state, input, output);
            }

            @Override
            public boolean readOnly(I input, O output) {
                return model.readOnly(input, output);
            }

            @Override
            public boolean extendsOnly(I input) {
                return model.extendsOnly(input);
            }

            @Override
            public boolean mayReach(S state, I input, O output) {
                return model.mayReach(state, input, output);
            }

            @Override
            public Object part(I input) {
                return model.part(input);
            }

            @Override
            public Object partState(S state, Object part) {
                return model.partState(state, part);
            }

            @Override
            public String describe(I input, O output) {
                return model.describe(input, output);
            }
        };
    }
}
