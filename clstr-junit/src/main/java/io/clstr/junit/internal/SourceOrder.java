package io.clstr.junit.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;

/**
 * Orders a stage's tests as they are written in the source file, so a stage reads
 * top to bottom like its spec. The order comes from the first line number of each
 * method in the compiled class (javac always writes line numbers unless told not to);
 * methods without one run last, by name.
 */
public final class SourceOrder implements MethodOrderer {

    @Override
    public void orderMethods(MethodOrdererContext context) {
        Comparator<Method> order = order();
        context.getMethodDescriptors()
                .sort(Comparator.comparing(org.junit.jupiter.api.MethodDescriptor::getMethod, order));
    }

    /** The methods {@code type} declares, in source order. */
    public static List<Method> methods(Class<?> type) {
        List<Method> methods = new ArrayList<>(List.of(type.getDeclaredMethods()));
        methods.sort(order());
        return methods;
    }

    /** By first source line (methods without one last), then by name. */
    private static Comparator<Method> order() {
        Map<Class<?>, Map<String, Integer>> linesByClass = new HashMap<>();
        return Comparator.comparingInt((Method m) -> {
                    Integer line = linesByClass
                            .computeIfAbsent(m.getDeclaringClass(), SourceOrder::firstLines)
                            .get(key(
                                    m.getName(),
                                    MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                                            .toMethodDescriptorString()));
                    return line == null ? Integer.MAX_VALUE : line;
                })
                .thenComparing(Method::getName);
    }

    private static String key(String name, String descriptor) {
        return name + descriptor;
    }

    /** Reads the class file of {@code type}: method name+descriptor → first source line. */
    static Map<String, Integer> firstLines(Class<?> type) {
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream raw = type.getResourceAsStream(resource)) {
            if (raw == null) {
                return Map.of();
            }
            return new ClassFileLines(new DataInputStream(raw)).read();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** The small part of the class-file format needed to find each method's first line. */
    private static final class ClassFileLines {
        private final DataInputStream in;
        private String[] utf8;

        ClassFileLines(DataInputStream in) {
            this.in = in;
        }

        Map<String, Integer> read() throws IOException {
            if (in.readInt() != 0xCAFEBABE) {
                return Map.of();
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            readConstantPool();
            in.readUnsignedShort(); // access
            in.readUnsignedShort(); // this
            in.readUnsignedShort(); // super
            skip(2 * in.readUnsignedShort()); // interfaces
            int fields = in.readUnsignedShort();
            for (int i = 0; i < fields; i++) {
                skip(6);
                skipAttributes();
            }
            Map<String, Integer> lines = new HashMap<>();
            int methods = in.readUnsignedShort();
            for (int i = 0; i < methods; i++) {
                in.readUnsignedShort(); // access
                String name = utf8[in.readUnsignedShort()];
                String descriptor = utf8[in.readUnsignedShort()];
                int first = methodFirstLine();
                if (first != Integer.MAX_VALUE) {
                    lines.put(key(name, descriptor), first);
                }
            }
            return lines;
        }

        private void readConstantPool() throws IOException {
            int count = in.readUnsignedShort();
            utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(4);
                    case 5, 6 -> {
                        skip(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> skip(2);
                    case 15 -> skip(3);
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
        }

        private int methodFirstLine() throws IOException {
            int first = Integer.MAX_VALUE;
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String name = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if (!"Code".equals(name)) {
                    skip(length);
                    continue;
                }
                skip(4); // max stack, max locals
                skip(in.readInt()); // code
                skip(8 * in.readUnsignedShort()); // exception table
                int codeAttributes = in.readUnsignedShort();
                for (int c = 0; c < codeAttributes; c++) {
                    String codeAttribute = utf8[in.readUnsignedShort()];
                    int codeAttributeLength = in.readInt();
                    if (!"LineNumberTable".equals(codeAttribute)) {
                        skip(codeAttributeLength);
                        continue;
                    }
                    int entries = in.readUnsignedShort();
                    for (int e = 0; e < entries; e++) {
                        in.readUnsignedShort(); // start pc
                        first = Math.min(first, in.readUnsignedShort());
                    }
                }
            }
            return first;
        }

        private void skipAttributes() throws IOException {
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.readUnsignedShort();
                skip(in.readInt());
            }
        }

        private void skip(int n) throws IOException {
            in.skipNBytes(n);
        }
    }
}
