/**
 * Sluice inside another JVM application: {@link dev.sluice.embed.Sluice} starts the gateway from a
 * {@link dev.sluice.config.SluiceConfig}, serves it on a port of the host process and drains it on
 * close.
 *
 * <p>Like {@code cli}, a top of the build: it may use {@code server} (the composition root) and the
 * admin and console routes it mounts, exactly what {@code sluice serve} starts; nothing in the
 * gateway uses it. The Spring Boot starter module builds on it.
 */
package dev.sluice.embed;
