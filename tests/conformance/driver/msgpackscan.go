package driver

// Debian's go-cty (1.12) decodes every msgpack extension as an unknown.
// Terraform 1.6+ (go-cty >= 1.13) is stricter: an extension with a payload
// longer than one byte must be type 12 (a refined unknown) whose payload is
// a map of at most 1024 bytes. scanMsgpack applies that rule to what the
// provider sends, so the driver is not looser than current Terraform.

import (
	"encoding/binary"
	"fmt"
)

func scanMsgpack(b []byte) error {
	rest, err := scanOne(b, 0)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("msgpack: %d bytes of trailing data", len(rest))
	}
	return nil
}

func need(b []byte, n int) error {
	if len(b) < n {
		return fmt.Errorf("msgpack: truncated value")
	}
	return nil
}

func scanOne(b []byte, depth int) ([]byte, error) {
	if depth > 64 {
		return nil, fmt.Errorf("msgpack: nesting too deep")
	}
	if err := need(b, 1); err != nil {
		return nil, err
	}
	c := b[0]
	b = b[1:]
	skip := func(n int) ([]byte, error) {
		if err := need(b, n); err != nil {
			return nil, err
		}
		return b[n:], nil
	}
	lenN := func(size int) (int, []byte, error) {
		if err := need(b, size); err != nil {
			return 0, nil, err
		}
		var n uint64
		switch size {
		case 1:
			n = uint64(b[0])
		case 2:
			n = uint64(binary.BigEndian.Uint16(b))
		case 4:
			n = uint64(binary.BigEndian.Uint32(b))
		}
		return int(n), b[size:], nil
	}
	items := func(n int, perItem int) ([]byte, error) {
		var err error
		for i := 0; i < n*perItem; i++ {
			if b, err = scanOne(b, depth+1); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	ext := func(typ int8, n int) ([]byte, error) {
		if err := need(b, n); err != nil {
			return nil, err
		}
		payload := b[:n]
		if n > 1 && typ != 12 {
			return nil, fmt.Errorf("msgpack: extension type %d with a %d-byte payload (Terraform 1.6+ rejects it; refined unknowns are type 12)", typ, n)
		}
		if typ == 12 && n > 1 {
			if n > 1024 {
				return nil, fmt.Errorf("msgpack: refined unknown payload of %d bytes (limit 1024)", n)
			}
			if payload[0]&0xf0 != 0x80 && payload[0] != 0xde && payload[0] != 0xdf {
				return nil, fmt.Errorf("msgpack: refined unknown payload is not a map")
			}
			if err := scanMsgpack(payload); err != nil {
				return nil, err
			}
		}
		return b[n:], nil
	}
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		return b, nil
	case c&0xf0 == 0x80:
		return items(int(c&0x0f), 2)
	case c&0xf0 == 0x90:
		return items(int(c&0x0f), 1)
	case c&0xe0 == 0xa0:
		return skip(int(c & 0x1f))
	}
	switch c {
	case 0xcc, 0xd0:
		return skip(1)
	case 0xcd, 0xd1:
		return skip(2)
	case 0xce, 0xd2, 0xca:
		return skip(4)
	case 0xcf, 0xd3, 0xcb:
		return skip(8)
	case 0xd9, 0xc4:
		n, r, err := lenN(1)
		if err != nil {
			return nil, err
		}
		b = r
		return skip(n)
	case 0xda, 0xc5:
		n, r, err := lenN(2)
		if err != nil {
			return nil, err
		}
		b = r
		return skip(n)
	case 0xdb, 0xc6:
		n, r, err := lenN(4)
		if err != nil {
			return nil, err
		}
		b = r
		return skip(n)
	case 0xdc, 0xdd, 0xde, 0xdf:
		size := 2
		if c == 0xdd || c == 0xdf {
			size = 4
		}
		n, r, err := lenN(size)
		if err != nil {
			return nil, err
		}
		b = r
		per := 1
		if c == 0xde || c == 0xdf {
			per = 2
		}
		return items(n, per)
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		if err := need(b, 1); err != nil {
			return nil, err
		}
		typ := int8(b[0])
		b = b[1:]
		return ext(typ, 1<<(c-0xd4))
	case 0xc7, 0xc8, 0xc9:
		size := map[byte]int{0xc7: 1, 0xc8: 2, 0xc9: 4}[c]
		n, r, err := lenN(size)
		if err != nil {
			return nil, err
		}
		b = r
		if err := need(b, 1); err != nil {
			return nil, err
		}
		typ := int8(b[0])
		b = b[1:]
		return ext(typ, n)
	}
	return nil, fmt.Errorf("msgpack: invalid type byte 0x%02x", c)
}
