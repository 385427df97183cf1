package io.clstr.junit.testnode;

import java.net.URI;

/** A {@link FixedNode} at a URI, whose ADDR is that URI's host and port. */
public class UriNode extends FixedNode {
    private final URI uri;

    public UriNode(String name, URI uri) {
        super(name);
        this.uri = uri;
    }

    @Override
    public String addr() {
        return uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public URI uri() {
        return uri;
    }
}
