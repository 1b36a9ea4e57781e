package dev.regula.core.data;

/**
 * The element types of the IDX format (the third byte of the magic number). Values are stored
 * big-endian; every type is converted to float32 on reading.
 */
public enum IdxType {
    /** 0x08: unsigned byte, 0..255. */
    U8(0x08, 1),
    /** 0x09: signed byte. */
    I8(0x09, 1),
    /** 0x0B: signed 16-bit integer. */
    I16(0x0B, 2),
    /** 0x0C: signed 32-bit integer (values above 2^24 lose precision as float32). */
    I32(0x0C, 4),
    /** 0x0D: IEEE 754 float32. */
    F32(0x0D, 4),
    /** 0x0E: IEEE 754 float64, rounded to float32. */
    F64(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** @return the type code stored in the magic number */
    public int code() {
        return code;
    }

    /** @return the size of one element in bytes */
    public int bytes() {
        return bytes;
    }

    /**
     * @param code a type code from a file
     * @return the type, or {@code null} if the code is not one of 0x08, 0x09, 0x0B..0x0E
     */
    static IdxType ofCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) return t;
        }
        return null;
    }
}
