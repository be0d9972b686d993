// SPDX-License-Identifier: BSD-2-Clause
// The image linker on a board from boards/: the compiler's way in to the
// linker for an SDF file, which names its board (<system board="...">).
#include "board/board_link.h"

struct link_board board_link_facts(const struct board *b)
{
    return (struct link_board){
        .name = b->name,
        .ram_base = b->ram_base,
        .ram_size = b->ram_size,
        .uart_driver = b->uart.driver,
        .uart_base = b->uart.base,
        .uart_irq = b->uart.irq,
        .gicd_base = b->gicd_base,
        .gicr_base = b->gicr_base,
        .cores = b->cores,
    };
}

int link_sdf_file(const struct sdf_link_request *r, struct board **board_out)
{
    struct sdf_system sdf = {0};
    bool io_error = false;
    struct board *b = NULL;
    int rc = 1;
    if (!sdf_parse_file(r->sdf_path, &sdf, &io_error)) {
        rc = io_error ? 2 : 1;
    } else {
        const char *name = r->board ? r->board->name : sdf.board ? sdf.board : SDF_DEFAULT_BOARD;
        if (!r->board)
            b = board_load(r->data_dir, name, sdf.pos);
        const struct board *use = r->board ? r->board : b;
        if (use) {
            struct link_board lb = board_link_facts(use);
            rc = link_system(&(struct link_inputs){&sdf, &lb, r->components, r->configs,
                                                   r->nconfigs, r->out_dir, r->sdf_name});
            if (rc == 0 && r->cores_used)
                *r->cores_used = sdf_cores_used(&sdf);
        }
    }
    sdf_free(&sdf);
    if (board_out)
        *board_out = b;
    else
        board_free(b);
    return rc;
}
