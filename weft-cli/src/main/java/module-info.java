/** The {@code weft} command. */
module weft.cli {
    requires weft;
}
