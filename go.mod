module github.com/usersig/usersig

go 1.22

require (
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
)
