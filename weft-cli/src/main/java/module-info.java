/** The {@code weft} command. HdrHistogram records {@code weft load}'s latencies. */
module weft.cli {
    requires weft;
    requires HdrHistogram;
}
