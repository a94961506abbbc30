package dev.weft.bench;

/** Entry point of {@code ./weft bench}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("usage: weft bench <command>");
    }
}
