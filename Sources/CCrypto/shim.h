#ifndef ENTENTE_CCRYPTO_SHIM_H
#define ENTENTE_CCRYPTO_SHIM_H
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#endif
