package dev.sluice.core.provider;

/**
 * A live view of the connections this gateway holds to one provider, read whenever metrics are scraped: how many are
 * open and idle, how many calls wait for room, and how many calls (HTTP/2 streams, or HTTP/1.1 exchanges) are under way.
 */
public interface ConnectionPoolStats {

    /** Connections open, busy or idle. */
    int open();

    /** Connections open and unused. */
    int idle();

    /** Calls waiting for a connection or a stream. */
    int pending();

    /** Calls under way: HTTP/2 streams, or HTTP/1.1 connections in use. */
    int activeStreams();
}
