package io.clstr.toxiproxy;

import java.util.concurrent.ThreadLocalRandom;

/** The command line of {@link Main}, as toxiproxy-server takes it: {@code -host H -port P [-seed N]}. */
record Options(String host, int port, long seed, boolean help) {
    static final String USAGE = "usage: clstr-toxiproxy [-host H] [-port P] [-seed N]"
            + " (defaults: -host 127.0.0.1 -port 8474, a random seed)";

    /** Reads {@code -flag value}, {@code --flag value} or {@code -flag=value}; the message of a failure is one line. */
    static Options parse(String... args) {
        String host = "127.0.0.1";
        int port = 8474;
        Long seed = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String flag = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String value = null;
            int equals = flag.indexOf('=');
            if (equals >= 0) {
                value = flag.substring(equals + 1);
                flag = flag.substring(0, equals);
            }
            if (flag.equals("h") || flag.equals("help")) {
                return new Options(host, port, 0, true);
            }
            if (!flag.equals("host") && !flag.equals("port") && !flag.equals("seed")) {
                throw new IllegalArgumentException("unknown flag -" + flag);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag -" + flag + " needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "host" -> host = host(value);
                case "port" -> port = port(value);
                default -> seed = seed(value);
            }
        }
        return new Options(
                host, port, seed == null ? ThreadLocalRandom.current().nextLong() : seed, false);
    }

    private static String host(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("invalid value '' for flag -host: must be a host name or address");
        }
        return value;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid value '" + value + "' for flag -port: must be 0 to 65535");
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value '" + value + "' for flag -seed: must be an integer", e);
        }
    }
}
