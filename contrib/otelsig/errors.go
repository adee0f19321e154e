package otelsig

import "errors"

// ErrInvalidOption is returned (wrapped) by New for a nil Option, a gauge
// without a name or a read function, and an instrument the meter refuses
// (an invalid name, for instance).
var ErrInvalidOption = errors.New("otelsig: invalid option")
