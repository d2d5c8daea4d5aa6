# A preference-tuning and distillation script in the shapes public training code uses.
# The trailing markers list what the detector must report on each line (see ../expectations.ts).
import torch
import torch.nn.functional as F
from trl import DPOConfig, DPOTrainer, GRPOTrainer, RewardTrainer  # expect: DPOConfig dpo import; DPOTrainer dpo import; GRPOTrainer grpo import; RewardTrainer bradley-terry-reward import
from trl.experimental.gkd import GKDTrainer  # expect: GKDTrainer jsd import
from trl.experimental.ppo import PPOConfig as PPOArgs  # expect: PPOConfig ppo-clip import
from liger_kernel.chunked_loss import LigerFusedLinearDPOLoss, LigerFusedLinearSimPOLoss  # expect: LigerFusedLinearDPOLoss dpo import; LigerFusedLinearSimPOLoss simpo import
from liger_kernel.transformers import LigerJSD  # expect: LigerJSD jsd import
import mmdet.models.losses as mmdet_losses
import timm.task


def kd_loss(student_logits, teacher_logits, T=4.0):  # expect: kd_loss knowledge-distillation definition
    return F.kl_div(  # expect: kl_div kl-divergence
        F.log_softmax(student_logits / T, dim=-1),
        F.log_softmax(teacher_logits / T, dim=-1),
        reduction="batchmean",
        log_target=True,
    ) * T * T


def build(model, ref_model, tokenizer, dataset, student, teacher):
    args = DPOConfig(beta=0.1, loss_type=["sigmoid"])  # expect: DPOConfig dpo
    dpo = DPOTrainer(model=model, ref_model=ref_model, args=args, train_dataset=dataset)  # expect: DPOTrainer dpo
    fused = LigerFusedLinearDPOLoss(beta=0.1)  # expect: LigerFusedLinearDPOLoss dpo
    simpo = LigerFusedLinearSimPOLoss(beta=2.0, gamma=0.5)  # expect: LigerFusedLinearSimPOLoss simpo
    rm = RewardTrainer(model=model, train_dataset=dataset)  # expect: RewardTrainer bradley-terry-reward
    grpo = GRPOTrainer(model=model, reward_funcs=[len], train_dataset=dataset)  # expect: GRPOTrainer grpo
    ppo_args = PPOArgs(cliprange=0.2, kl_coef=0.05)  # expect: PPOArgs ppo-clip
    jsd = LigerJSD(beta=0.5)  # expect: LigerJSD jsd
    gkd_loss = GKDTrainer.generalized_jsd_loss(student, teacher, beta=0.5)  # expect: generalized_jsd_loss jsd
    det_kd = mmdet_losses.KnowledgeDistillationKLDivLoss(T=10)  # expect: KnowledgeDistillationKLDivLoss knowledge-distillation
    task = timm.task.LogitDistillationTask(student, teacher, temperature=4.0)  # expect: LogitDistillationTask knowledge-distillation
    extra = kd_loss(student, teacher)  # expect: kd_loss knowledge-distillation
    return dpo, fused, simpo, rm, grpo, ppo_args, jsd, gkd_loss, det_kd, task, extra


# Words that only look related stay silent: a reward value, a "dpo" variable, an optimizer step.
reward = torch.zeros(3)
dpo_beta = 0.1
