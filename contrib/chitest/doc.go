// Package chitest holds no code: its test shows that chi needs no adapter,
// r.Use(sighttp.Middleware(signer)) as it is, and runs the suite every
// adapter runs through a chi router. It is a module of its own so that the
// core module's go.mod never gains chi.
package chitest
