//go:build !unix

package tenants

import "time"

// processCPU is unknown here: the snapshot test's CPU bound then holds
// trivially, and its log shows 0.
func processCPU() time.Duration { return 0 }
