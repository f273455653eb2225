/* The same engine compiled for AVX2 + FMA under other names, so that one
 * binary carries both and picks at run time (city-skill's build.rs). */
#define e5_load e5_avx2_load
#define e5_load_mem e5_avx2_load_mem
#define e5_free e5_avx2_free
#define e5_token_count e5_avx2_token_count
#define e5_dim e5_avx2_dim
#define e5_embed e5_avx2_embed
#define e5_embed_batch e5_avx2_embed_batch
#define e5_load_sae e5_avx2_load_sae
#define e5_sparse_dim e5_avx2_sparse_dim
#define e5_embed_sparse e5_avx2_embed_sparse
#include "e5.c"
