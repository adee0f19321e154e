package sighttp_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

func TestContextWithIdentity(t *testing.T) {
	_, ok := sighttp.IdentityFromContext(context.Background())
	assert.False(t, ok)
	want := usersig.Identity{UserID: "alice"}
	got, ok := sighttp.IdentityFromContext(sighttp.ContextWithIdentity(context.Background(), want))
	assert.True(t, ok)
	assert.Equal(t, want, got)
}
