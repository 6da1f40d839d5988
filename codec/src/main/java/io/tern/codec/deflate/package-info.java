/**
 * permessage-deflate (RFC 7692) for both roles: negotiation ({@link
 * io.tern.codec.deflate.PerMessageDeflate}), the compressing and decompressing halves of a
 * connection ({@link io.tern.codec.deflate.PerMessageDeflater}, {@link
 * io.tern.codec.deflate.PerMessageInflater}), per-owner pooling of compression streams ({@link
 * io.tern.codec.deflate.ZStreamPool}), and Tern's own raw DEFLATE (RFC 1951) encoder {@link
 * io.tern.codec.deflate.WindowedDeflater}, whose window can be limited to any size from 256 bytes to
 * 32 KiB as the {@code *_max_window_bits} parameters demand.
 */
package io.tern.codec.deflate;
